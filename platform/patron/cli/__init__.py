"""The ``patron`` command line (a Flask CLI group, so ``patron shell`` and ``routes`` work too).

Every command fails with one clear line and a non-zero exit, never a traceback: domain errors
are turned into :class:`click.ClickException` by :class:`PatronGroup`.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, routes_command, shell_command
from sqlalchemy.exc import SQLAlchemyError

from patron.api.problems import ValidationFailed
from patron.auth.services import UserError
from patron.db.postgres import UnsafeDatabaseRole
from patron.plugins.manager import PluginError
from patron.plugins.services import ModuleChangeRefused
from patron.rbac.services import RbacError
from patron.tenancy.services import TenantError

#: Errors whose message is meant for the person at the terminal.
USER_ERRORS = (
    TenantError, UserError, RbacError, ModuleChangeRefused, PluginError, UnsafeDatabaseRole,
    ValidationFailed, FileNotFoundError, ValueError,
)


def _create_app():
    from patron import create_app

    return create_app()


class PatronGroup(FlaskGroup):
    """A FlaskGroup whose commands report errors as one line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise click.ClickException(f"database error: {reason}") from None


cli = PatronGroup(
    name="patron", create_app=_create_app, add_default_commands=False,
    add_version_option=False, load_dotenv=False, help="Patron CRM.",
)
cli.add_command(shell_command)
cli.add_command(routes_command)


def _register_commands() -> None:
    from patron.cli import db_commands, module_commands, server_commands, tenant_commands

    for module in (db_commands, tenant_commands, module_commands, server_commands):
        module.register(cli)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="patron")
