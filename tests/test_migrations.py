"""Migrations: readiness follows them, and upgrading is idempotent."""

from __future__ import annotations

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import inspect

from patron import create_app
from patron.console import cli
from patron.db import db
from patron.db.migrations import pending_migrations, upgrade


def test_readyz_reports_pending_migrations_until_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PATRON_MIGRATION_DATABASE_URL": url,
                      "PATRON_HOME": str(tmp_path), "SECRET_KEY": "x"})
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["status"] == "migrations pending"
    with app.app_context():
        applied = upgrade()
        assert applied["core"][0] == "0001_core" and "0025_bulk_jobs" in applied["core"]
        assert applied["sales"][0] == "0001_sales" and applied["service"][0] == "0001_service"
        assert upgrade() == {}  # a second run changes nothing
        assert pending_migrations() == set()
        assert {"tenants", "users", "accounts"} <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert client.get("/readyz").get_json() == {"status": "ok"}


def test_readyz_fails_when_the_database_is_unreachable(tmp_path):
    path = tmp_path / "gone.db"
    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PATRON_MIGRATION_DATABASE_URL": url,
                      "PATRON_HOME": str(tmp_path), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    path.unlink()
    path.mkdir()  # a directory where the database file was: every connection now fails
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_db_upgrade_says_what_it_applied_to_each_branch(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PATRON_MIGRATION_DATABASE_URL": url,
                      "PATRON_HOME": str(tmp_path), "SECRET_KEY": "x"})
    runner = CliRunner()

    def upgrade_command():
        return runner.invoke(cli, ["db", "upgrade"], obj=ScriptInfo(create_app=lambda: app))

    first = upgrade_command()
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[-1] == "database is up to date"
    branches = {line.split(":", 1)[0] for line in lines[:-1]}
    assert {"core", "sales", "service"} <= branches
    assert next(line for line in lines if line.startswith("core:")).startswith(
        "core: applied 0001_core, ")
    again = upgrade_command()
    assert again.output == "database is up to date\n"
    with app.app_context():
        db.engine.dispose()


def test_a_plugin_starts_its_branch_depending_on_the_tables_it_refers_to(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PATRON_MIGRATION_DATABASE_URL": url,
                      "PATRON_HOME": str(tmp_path), "SECRET_KEY": "x"})
    runner = CliRunner()

    def patron(*args: str):
        return runner.invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))

    assert patron("db", "upgrade").exit_code == 0
    tables = dict(line.split("\t") for line in patron("db", "tables").output.splitlines())
    assert tables["accounts"] == "0001_core" and tables["bulk_jobs"] == "0025_bulk_jobs"
    assert tables["sales_opportunities"] == "0001_sales"

    folder = tmp_path / "loyalty" / "migrations" / "versions"
    made = patron("db", "revision", "-m", "loyalty cards", "--new-branch", "loyalty",
                  "--depends-on", "sales_opportunities", "--path", str(folder), "--empty")
    assert made.exit_code == 0, made.output
    [first] = folder.glob("*.py")
    text = first.read_text()
    assert "revision: str = '0001_loyalty'" in text
    assert "branch_labels: str | Sequence[str] | None = ('loyalty',)" in text
    assert "depends_on: str | Sequence[str] | None = '0001_sales'" in text
    assert "down_revision: str | Sequence[str] | None = None" in text

    unknown = patron("db", "revision", "-m", "x", "--new-branch", "other", "--depends-on",
                     "no_such_table", "--path", str(tmp_path / "other"), "--empty")
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output
    assert unknown.output.strip() == (
        "Error: no revision is called 'no_such_table' and none creates a table of that name")
    pathless = patron("db", "revision", "-m", "x", "--new-branch", "other")
    assert pathless.exit_code == 2 and "--new-branch needs --path" in pathless.output
    with app.app_context():
        db.engine.dispose()
