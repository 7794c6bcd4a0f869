"""``patron db upgrade``, ``status``, ``revision`` and ``mark-leakproof``."""

from __future__ import annotations

import click
from alembic import command
from flask.cli import with_appcontext

from patron.db.migrations import alembic_config, migration_engine, pending_migrations, upgrade
from patron.db.postgres import NotSuperuser, is_postgres, mark_operators_leakproof


@click.group("db")
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Bring the core and every installed plugin's tables up to date."""
    upgrade(revision)
    click.echo("database is up to date")


@db_group.command("status")
@with_appcontext
def status_command() -> None:
    """Say whether migrations are pending (exit 1 if they are)."""
    pending = pending_migrations()
    if pending:
        raise click.ClickException(f"pending migrations: {', '.join(sorted(pending))}")
    click.echo("database is up to date")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--head", default="core@head", show_default=True,
              help="Branch to extend, e.g. sales@head for a plugin's branch.")
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def revision_command(message: str, head: str, autogenerate: bool) -> None:
    """Write a new migration (for developers)."""
    with migration_engine().begin() as connection:
        command.revision(
            alembic_config(connection), message=message, head=head, autogenerate=autogenerate
        )


@db_group.command("mark-leakproof")
@with_appcontext
def mark_leakproof_command() -> None:
    """Let custom-field filters use their index under row-level security (PostgreSQL, as a
    superuser)."""
    engine = migration_engine()
    if not is_postgres(engine):
        click.echo("nothing to do: only PostgreSQL has row-level security")
        return
    try:
        with engine.begin() as connection:
            marked = mark_operators_leakproof(connection)
    except NotSuperuser as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    click.echo(f"marked LEAKPROOF: {', '.join(marked)}")


def register(cli: click.Group) -> None:
    """Add the ``db`` group."""
    cli.add_command(db_group)
