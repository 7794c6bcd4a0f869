"""``patron db upgrade``, ``status``, ``revision``, ``tables`` and ``mark-leakproof``."""

from __future__ import annotations

import click
from alembic import command
from alembic.script import ScriptDirectory
from flask.cli import with_appcontext

from patron.db.migrations import (
    MigrationError,
    alembic_config,
    creating_revisions,
    migration_engine,
    pending_migrations,
    start_branch,
    upgrade,
)
from patron.db.postgres import NotSuperuser, is_postgres, mark_operators_leakproof


@click.group("db")
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Bring the core and every installed plugin's tables up to date, saying what it applied
    to which branch."""
    applied = upgrade(revision)
    for branch, revisions in applied.items():
        click.echo(f"{branch}: applied {', '.join(revisions)}")
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
@click.option("--new-branch", metavar="NAME",
              help="Start a plugin's branch NAME instead (its first revision, 0001_NAME).")
@click.option("--depends-on", metavar="TABLE_OR_REVISION",
              help="With --new-branch: the revision the branch needs, or a table meaning the "
                   "revision that creates it (e.g. accounts).")
@click.option("--path", type=click.Path(file_okay=False),
              help="With --new-branch: the plugin's migrations folder to write into.")
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def revision_command(message: str, head: str, new_branch: str | None, depends_on: str | None,
                     path: str | None, autogenerate: bool) -> None:
    """Write a new migration (for developers)."""
    if new_branch is not None:
        if path is None:
            raise click.UsageError("--new-branch needs --path, the plugin's migrations folder "
                                   "(the one its patron_register_migrations returns)")
        try:
            start_branch(new_branch, message, path, depends_on, autogenerate)
        except MigrationError as error:
            raise click.ClickException(str(error)) from None
        return
    if depends_on is not None or path is not None:
        raise click.UsageError("--depends-on and --path go with --new-branch")
    with migration_engine().begin() as connection:
        command.revision(
            alembic_config(connection), message=message, head=head, autogenerate=autogenerate
        )


@db_group.command("tables")
@with_appcontext
def tables_command() -> None:
    """List every table with the revision that creates it (what a plugin's first revision
    depends on when its tables refer to it)."""
    script = ScriptDirectory.from_config(alembic_config())
    for table, revision in sorted(creating_revisions(script).items()):
        click.echo(f"{table}\t{revision}")


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
