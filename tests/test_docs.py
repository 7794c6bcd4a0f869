"""The README stays true: every hook and every environment variable is documented."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from patron.config import SETTINGS
from patron.plugins import hookspecs

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _hookspec_names() -> set[str]:
    return {name for name, value in vars(hookspecs).items()
            if name.startswith("patron_") and inspect.isfunction(value)}


def test_every_hook_is_documented_in_the_plugin_guide():
    documented = set(re.findall(r"^#### `(patron_\w+)\(", README, re.MULTILINE))
    assert documented == _hookspec_names()


def test_every_hookspec_docstring_states_scope_and_return():
    for name in _hookspec_names():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert "App-scope" in doc or "Tenant-scope" in doc, name
        assert ":return:" in doc, name


def test_every_environment_variable_is_in_the_configuration_table():
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for setting in SETTINGS:
        assert f"`{setting.env}`" in table, setting.env
    read_from_environment = set()
    for path in [*ROOT.glob("platform/**/*.py"), *ROOT.glob("tests/**/*.py")]:
        read_from_environment |= set(re.findall(
            r"(?:environ(?:\.get)?\(|environ\[|getenv\()\s*[\"'](PATRON_\w+)", path.read_text()))
    assert read_from_environment, "the scan found nothing: the pattern is broken"
    for name in read_from_environment:
        assert f"`{name}`" in table, f"{name} is read from the environment but undocumented"


def test_readme_quick_start_commands_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README and re.search(rf"^{target}:", makefile, re.MULTILINE)
    assert "$(BIN)/patron run" in makefile and "pytest" in makefile


def test_the_plugin_guide_lists_the_sdk_as_it_is():
    """The SDK reference in the README is what ``scripts/sdk-reference`` makes of the SDK."""
    from patron.sdk._reference import reference, written_reference

    assert written_reference(README) == reference(), "run scripts/sdk-reference"


def test_the_plugin_guide_lists_the_event_catalogue_as_it_is(app):
    """The event catalogue in the README is what ``scripts/sdk-reference`` makes of the
    declared events."""
    from patron.sdk._reference import EVENTS_END, EVENTS_START, event_catalogue, written_block

    with app.app_context():
        assert written_block(README, EVENTS_START, EVENTS_END) == event_catalogue(), (
            "run scripts/sdk-reference")


def test_the_plugin_guide_lists_the_test_kit_as_it_is():
    """The fixture list in the README is the kit's own."""
    from patron.sdk._reference import written_block
    from patron.testing.reference import END, START, fixture_list

    assert written_block(README, START, END) == fixture_list(), "run scripts/sdk-reference"


def test_everything_the_sdk_exports_is_documented():
    import patron.sdk as sdk
    from patron.sdk._reference import summary

    assert len(sdk.__all__) == len(set(sdk.__all__)), "a name is in two sections"
    for name in sdk.__all__:
        assert hasattr(sdk, name), f"patron.sdk lists {name} but does not have it"
        assert summary(name), f"patron.sdk.{name} has neither a docstring nor a note"
