"""Alembic: the core's revisions plus one branch per plugin (``version_locations``).

Migrations run as the role that owns the tables (``PATRON_MIGRATION_DATABASE_URL``); after
them, on PostgreSQL, every tenant-owned table gets its RLS policy and the application role its
grants (:func:`patron.db.postgres.apply_rls`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Engine, create_engine

from patron.db.base import Base
from patron.db.postgres import apply_rls, role_of
from patron.db.sqlite import tune_sqlite_engine

SCRIPT_LOCATION = Path(__file__).resolve().parent.parent / "migrations"


def version_locations() -> list[str]:
    """The core's versions directory and every installed plugin's."""
    registry = current_app.extensions["patron"]
    locations = [str(SCRIPT_LOCATION / "versions")]
    for batch in registry.pm.hook.patron_register_migrations():
        locations += [str(Path(p).resolve()) for p in batch]
    return locations


def alembic_config(connection=None, extra_locations: Sequence[str] = ()) -> Config:
    """An Alembic config for the current app (pass ``connection`` to run on it;
    ``extra_locations``: versions folders besides the installed ones, such as the one a new
    plugin's first revision is written to)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("path_separator", "os")
    locations = [*version_locations(), *(str(Path(p).resolve()) for p in extra_locations)]
    config.set_main_option("version_locations", os.pathsep.join(dict.fromkeys(locations)))
    config.attributes["connection"] = connection
    config.attributes["target_metadata"] = Base.metadata
    return config


def migration_engine() -> Engine:
    """An engine on the migration URL (the table owner's role)."""
    engine = create_engine(current_app.config["PATRON_MIGRATION_DATABASE_URL"])
    tune_sqlite_engine(engine)
    return engine


def upgrade(revision: str = "heads") -> dict[str, list[str]]:
    """Bring the core and every installed plugin to ``revision`` (default: all heads); returns
    the revisions applied, by branch (``{"core": [...], "sales": [...]}``), oldest first."""
    engine = migration_engine()
    try:
        with engine.begin() as connection:
            config = alembic_config(connection)
            script = ScriptDirectory.from_config(config)
            before = applied_revisions(script, connection)
            command.upgrade(config, revision)
            applied = applied_revisions(script, connection) - before
            if connection.dialect.name == "postgresql":
                app_role = role_of(current_app.config["SQLALCHEMY_DATABASE_URI"])
                owner = connection.exec_driver_sql("SELECT current_user").scalar()
                apply_rls(connection, Base.metadata, app_role if app_role != owner else None)
    finally:
        engine.dispose()
    return by_branch(script, applied)


def applied_revisions(script: ScriptDirectory, connection) -> set[str]:
    """Every revision the database has reached. Alembic records only the newest revision of
    a line: a plugin branch that depends on the core's head stands for it, so "applied" is
    everything below the recorded heads."""
    current = MigrationContext.configure(connection).get_current_heads()
    return {rev.revision for rev in script.iterate_revisions(current, "base")}


def branch_of(script: ScriptDirectory, revision: str) -> str:
    """The branch label of the line ``revision`` belongs to (its first revision's)."""
    rev = script.get_revision(revision)
    while not rev.branch_labels and rev.down_revision is not None:
        down = rev.down_revision
        rev = script.get_revision(down if isinstance(down, str) else down[0])
    return sorted(rev.branch_labels)[0] if rev.branch_labels else rev.revision


def by_branch(script: ScriptDirectory, revisions: set[str]) -> dict[str, list[str]]:
    """``revisions`` grouped by branch, each branch's oldest first."""
    ordered = [rev.revision for rev in reversed(list(script.walk_revisions()))
               if rev.revision in revisions]
    grouped: dict[str, list[str]] = {}
    for revision in ordered:
        grouped.setdefault(branch_of(script, revision), []).append(revision)
    return grouped


def pending_migrations() -> set[str]:
    """Heads the database has not reached yet (empty when it is current)."""
    from patron.db import db

    script = ScriptDirectory.from_config(alembic_config())
    with db.engine.connect() as connection:
        applied = applied_revisions(script, connection)
    return set(script.get_heads()) - applied


#: How a revision creates a table (``op.create_table("accounts", ...)``).
CREATE_TABLE = re.compile(r"""create_table\(\s*["'](\w+)["']""")


def creating_revisions(script: ScriptDirectory) -> dict[str, str]:
    """Each table of the core and the installed plugins, with the revision that creates it:
    what a plugin's migration that refers to the table must depend on."""
    tables: dict[str, str] = {}
    for rev in reversed(list(script.walk_revisions())):
        for table in CREATE_TABLE.findall(Path(rev.path).read_text(encoding="utf-8")):
            tables.setdefault(table, rev.revision)
    return tables


def start_branch(name: str, message: str, path: str, depends_on: str | None,
                 autogenerate: bool) -> None:
    """Write the first revision (``0001_<name>``) of a new branch ``name`` into ``path``,
    depending on ``depends_on``: a revision, or a table, meaning the revision that creates it;
    autogenerated from the models when the database is up to date."""
    Path(path).mkdir(parents=True, exist_ok=True)
    engine = migration_engine()
    try:
        with engine.begin() as connection:
            config = alembic_config(connection, [path])
            script = ScriptDirectory.from_config(config)
            if depends_on is not None and depends_on not in {
                    rev.revision for rev in script.walk_revisions()}:
                tables = creating_revisions(script)
                if depends_on not in tables:
                    raise MigrationError(f"no revision is called {depends_on!r} and none "
                                         f"creates a table of that name")
                depends_on = tables[depends_on]
            command.revision(config, message=message, head="base", branch_label=name,
                             version_path=str(Path(path).resolve()), depends_on=depends_on,
                             rev_id=f"0001_{name}", autogenerate=autogenerate)
    finally:
        engine.dispose()


class MigrationError(ValueError):
    """A migration command was given something it cannot use; the message says what."""
