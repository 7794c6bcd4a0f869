"""The ``patron`` command (a Flask CLI group, so ``patron shell`` and ``routes`` work too): the
commands of :mod:`patron.cli` on the application :func:`patron.app.create_app` builds."""

from __future__ import annotations

import os
import sys

import click

from patron.app import create_app
from patron.cli import PatronGroup, register_commands

cli = PatronGroup(
    name="patron", create_app=create_app, add_default_commands=False,
    add_version_option=False, load_dotenv=False, help="Patron CRM.",
)
register_commands(cli)


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
