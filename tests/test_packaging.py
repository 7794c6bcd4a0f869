"""The layout of docs/DESIGN.md: platform/ is a source root, plugins map to patron_<name>."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_platform_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert (ROOT / "platform" / "patron" / "__init__.py").exists()


def test_standard_library_platform_wins_from_the_repository_root():
    result = subprocess.run(
        [sys.executable, "-c",
         "import platform, uuid; print(platform.__file__, platform.system())"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    location, system = result.stdout.split()
    assert not location.startswith(str(ROOT)) and system == "Linux"


def test_built_in_plugin_entry_points_match_the_plugin_folders():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    entry_points = project.get("entry-points", {}).get("patron.plugins", {})
    folders = {p.name for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").exists()}
    assert set(entry_points) == folders
    assert all(target == f"patron_{name}" for name, target in entry_points.items())


def test_the_test_kit_is_exported_to_pytest():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"patron": "patron.testing.fixtures"}


def test_console_script_and_no_test_folder_named_platform():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["patron"] == "patron.console:main"
    assert not any(p.name == "platform" for p in (ROOT / "tests").rglob("*") if p.is_dir())


def _core_imports(path: Path) -> set[str]:
    """The ``patron.*`` modules a Python file imports (statements, not strings)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return {name for name in names if name == "patron" or name.startswith("patron.")}


def test_plugin_files_import_the_core_only_through_the_sdk():
    # import-linter checks the plugins' packages; their Alembic revisions (modules named
    # 0001_...) are outside its reach, so every file is read here.
    allowed = ("patron.sdk", "patron.testing")
    found = {
        str(path.relative_to(ROOT)): sorted(name for name in _core_imports(path)
                                            if not name.startswith(allowed))
        for folder in (ROOT / "plugins", ROOT / "examples")
        for path in folder.rglob("*.py")
    }
    assert not {path: names for path, names in found.items() if names}
