"""The ``patron`` command line (a Flask CLI group, so ``patron shell`` and ``routes`` work too).

Every command fails with one clear line and a non-zero exit, never a traceback: domain errors
are turned into :class:`click.ClickException` by :class:`PatronGroup`.
"""

from __future__ import annotations

import os
import sys

import click
from flask.cli import FlaskGroup, routes_command, shell_command
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from patron.api.problems import ValidationFailed
from patron.audit.interface import acting_through
from patron.auth.services import UserError
from patron.db.postgres import UnsafeDatabaseRole
from patron.plugins.manager import PluginError
from patron.plugins.services import ModuleChangeRefused
from patron.rbac.services import RbacError
from patron.tenancy.manifests import error_lines
from patron.tenancy.services import TenantError

#: Errors whose message is meant for the person at the terminal.
USER_ERRORS = (
    TenantError, UserError, RbacError, ModuleChangeRefused, PluginError, UnsafeDatabaseRole,
    ValidationFailed, ValidationError, FileNotFoundError, ValueError,
)


def describe(error: Exception) -> str:
    """One line for the terminal; field errors read ``field: message``."""
    if isinstance(error, ValidationError):
        return "; ".join(error_lines(error.messages))
    if isinstance(error, ValidationFailed):
        return "; ".join(error_lines(error.errors))
    field = getattr(error, "field", None)
    return f"{field}: {error}" if field else str(error)


def _create_app():
    from patron import create_app

    return create_app()


class PatronGroup(FlaskGroup):
    """A FlaskGroup whose commands report errors as one line."""

    def invoke(self, ctx: click.Context):
        try:
            with acting_through("cli"):
                return super().invoke(ctx)
        except USER_ERRORS as error:
            raise click.ClickException(describe(error)) from None
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
    from patron.cli import (
        db_commands,
        module_commands,
        search_commands,
        server_commands,
        tenant_commands,
        worker_commands,
    )

    for module in (db_commands, tenant_commands, module_commands, server_commands,
                   worker_commands, search_commands):
        module.register(cli)


_register_commands()


def main(args: list[str] | None = None) -> None:
    """Console-script entry point.

    An unexpected error still ends in one line (and exit status 1); ``PATRON_DEBUG=1`` lets
    its traceback through instead.
    """
    try:
        cli.main(args=args, prog_name="patron")
    except Exception as error:
        if os.environ.get("PATRON_DEBUG"):
            raise
        click.echo(f"error: {str(error) or type(error).__name__}", err=True)
        click.echo("hint: run with PATRON_DEBUG=1 to see the traceback", err=True)
        sys.exit(1)
