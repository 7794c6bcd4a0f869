"""The partner's example plugin (examples/patron-hello), installed the way a partner's users do.

The package is pip-installed non-editable into this environment, so a migration or template
left out of the package data fails here rather than at a customer's. Its own suite then runs
in a fresh interpreter with nothing but the test kit, and apps created in this process find
it through its entry point. The install stays: later apps of the session load the module too,
and the kit migrates its branch into databases made before it was installed.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from patron.console import cli
from patron.db import db
from patron.db.migrations import pending_migrations
from patron.testing import databases
from patron.testing.fixtures import PASSWORD, build_app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "patron-hello"


@pytest.fixture(scope="module")
def hello_installed(tmp_path_factory) -> ModuleType:
    """``patron_hello``, freshly installed (reinstalled if it already was) from a copy.

    pip builds in the source tree, so it builds a copy and leaves no ``build/`` behind.
    """
    source = tmp_path_factory.mktemp("example") / "patron-hello"
    shutil.copytree(EXAMPLE, source,
                    ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--force-reinstall", "--quiet",
         str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    importlib.invalidate_caches()
    return importlib.import_module("patron_hello")


def patron(home: Path, *args: str, exit_code: int = 0) -> str:
    """Run the ``patron`` command line on the SQLite database in ``home``; returns its output."""
    env = {"PATRON_HOME": str(home), "PATRON_DATABASE_URL": None,
           "PATRON_MIGRATION_DATABASE_URL": None}
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == exit_code, result.output
    return result.output


def hello_enabled(home: Path, slug: str) -> bool:
    """Whether ``patron module list`` says tenant ``slug`` has the module on."""
    rows = [line.split() for line in patron(home, "module", "list", "--tenant", slug).splitlines()]
    return next(row for row in rows if row[0] == "hello")[2] == "yes"


def sqlite_tables(path: Path) -> list[str]:
    """Names of the tables in the SQLite database at ``path``."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.fixture
def core_only_database(hello_installed, tmp_path) -> Path:
    """A SQLite database in ``tmp_path`` migrated as before the plugin existed: core only."""
    patron(tmp_path, "db", "upgrade", "--revision", "core@head")
    return tmp_path / "patron.db"


def test_installed_copy_ships_migrations_and_templates(hello_installed):
    package = Path(hello_installed.__file__).parent
    assert EXAMPLE not in package.parents, "imported from the source tree, not the install"
    assert (package / "migrations" / "0001_hello_greetings.py").is_file()
    assert (package / "templates" / "hello" / "greetings.html").is_file()


def test_plugin_suite_passes_with_the_test_kit_only(hello_installed, tmp_path):
    # Run from elsewhere so that the installed package is imported, not the source tree;
    # the environment (PATRON_TEST_DATABASE_URL included) is passed on as it is.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(EXAMPLE / "tests"), "-p", "no:cacheprovider",
         "-q"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]


def test_new_app_lists_the_module_and_gates_it_per_tenant(hello_installed, auth, tenant,
                                                          other_tenant):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    listed = {m["name"]: m for m in acme.get("/modules").get_json()["items"]}
    assert listed["hello"]["version"] == hello_installed.__version__
    assert listed["hello"]["enabled"] is False
    assert acme.put("/modules/hello", json={"enabled": True}).status_code == 200
    assert acme.post("/hello/greetings", json={"message": "Hi"}).status_code == 201
    assert globex.get("/hello/greetings").status_code == 404


def test_cli_db_upgrade_adds_the_module_branch(core_only_database, tmp_path):
    assert "0001_hello" in patron(tmp_path, "db", "status", exit_code=1)
    patron(tmp_path, "db", "upgrade")
    assert "hello_greetings" in sqlite_tables(core_only_database)
    patron(tmp_path, "db", "status")


def test_cli_switches_the_module_per_tenant(hello_installed, tmp_path):
    patron(tmp_path, "db", "upgrade")
    for slug in ("acme", "globex"):
        patron(tmp_path, "tenant", "create", slug, "--admin-email", f"admin@{slug}.test",
               "--admin-password", PASSWORD)
    patron(tmp_path, "module", "enable", "--tenant", "acme", "hello")
    assert hello_enabled(tmp_path, "acme") and not hello_enabled(tmp_path, "globex")
    patron(tmp_path, "module", "disable", "--tenant", "acme", "hello")
    assert not hello_enabled(tmp_path, "acme")


def test_kit_migrates_a_database_made_before_the_install(core_only_database, tmp_path):
    # What happens to a test process's database (SQLite or PostgreSQL) migrated before this
    # module installed the plugin: the next app the kit builds on it upgrades it.
    url = f"sqlite:///{core_only_database}"
    app = build_app(databases.TestDatabase(url, url), tmp_path / "app-home")
    with app.app_context():
        assert pending_migrations() == set()
        db.engine.dispose()
    assert "hello_greetings" in sqlite_tables(core_only_database)
