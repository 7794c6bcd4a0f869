"""The commands of the ``patron`` command line, and the group that runs them.

Every command fails with one clear line and a non-zero exit, never a traceback: domain errors
are turned into :class:`click.ClickException` by :class:`PatronGroup`. The ``patron`` group
itself, on an app the factory builds, is :mod:`patron.console` (composition).
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, routes_command, shell_command
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from patron.auth.services import UserError
from patron.cli import (
    db_commands,
    module_commands,
    search_commands,
    server_commands,
    tenant_commands,
    worker_commands,
)
from patron.db.postgres import UnsafeDatabaseRole
from patron.errors import ValidationFailed
from patron.events.interface import acting_through
from patron.modules import ModuleChangeRefused
from patron.plugins.manager import PluginError
from patron.provisioning.manifest import error_lines
from patron.rbac.services import RbacError
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


def register_commands(group: click.Group) -> None:
    """Add the core's commands (and Flask's ``shell`` and ``routes``) to ``group``."""
    group.add_command(shell_command)
    group.add_command(routes_command)
    for module in (db_commands, tenant_commands, module_commands, server_commands,
                   worker_commands, search_commands):
        module.register(group)
