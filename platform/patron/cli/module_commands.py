"""``patron module list|enable|disable --tenant SLUG``."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import with_appcontext

from patron.cli.tenant_commands import echo_table, tenant_option, tenant_transaction
from patron.modules import disable_module, enable_module
from patron.plugins.manager import PluginError
from patron.plugins.services import enabled_modules, installed_modules


@click.group("module")
def module_group() -> None:
    """The modules (plugins) a tenant has switched on."""


@module_group.command("list")
@tenant_option
@with_appcontext
def list_command(slug: str) -> None:
    """Every installed module and whether the tenant has it enabled."""
    with tenant_transaction(slug):
        enabled = enabled_modules()
    modules = sorted(installed_modules().values(), key=lambda info: info.name)
    if not modules:
        click.echo("no modules installed")
        return
    echo_table(("name", "label", "enabled", "requires"), [
        (info.name, info.label, "yes" if info.name in enabled else "no",
         ", ".join(info.requires) or "-")
        for info in modules
    ])


def _change(slug: str, name: str, change: Callable[[str], bool], state: str) -> None:
    with tenant_transaction(slug):
        if name not in installed_modules():
            known = ", ".join(sorted(installed_modules())) or "none"
            raise PluginError(f"no module {name!r} is installed (installed: {known})")
        changed = change(name)
    click.echo(f"module {name} {'is now' if changed else 'was already'} {state} for {slug}")


@module_group.command("enable")
@tenant_option
@click.argument("name")
@with_appcontext
def enable_command(slug: str, name: str) -> None:
    """Enable module NAME (refused until the modules it requires are enabled)."""
    _change(slug, name, enable_module, "enabled")


@module_group.command("disable")
@tenant_option
@click.argument("name")
@with_appcontext
def disable_command(slug: str, name: str) -> None:
    """Disable module NAME, keeping its data (refused while another module requires it)."""
    _change(slug, name, disable_module, "disabled")


def register(cli: click.Group) -> None:
    """Add the ``module`` group."""
    cli.add_command(module_group)
