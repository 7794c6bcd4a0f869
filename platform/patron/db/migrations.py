"""Alembic: the core's revisions plus one branch per plugin (``version_locations``).

Migrations run as the role that owns the tables (``PATRON_MIGRATION_DATABASE_URL``); after
them, on PostgreSQL, every tenant-owned table gets its RLS policy and the application role its
grants (:func:`patron.db.postgres.apply_rls`).
"""

from __future__ import annotations

import os
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


def alembic_config(connection=None) -> Config:
    """An Alembic config for the current app (pass ``connection`` to run on it)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(version_locations()))
    config.attributes["connection"] = connection
    config.attributes["target_metadata"] = Base.metadata
    return config


def migration_engine() -> Engine:
    """An engine on the migration URL (the table owner's role)."""
    engine = create_engine(current_app.config["PATRON_MIGRATION_DATABASE_URL"])
    tune_sqlite_engine(engine)
    return engine


def upgrade(revision: str = "heads") -> None:
    """Bring the core and every installed plugin to ``revision`` (default: all heads)."""
    engine = migration_engine()
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
            if connection.dialect.name == "postgresql":
                app_role = role_of(current_app.config["SQLALCHEMY_DATABASE_URI"])
                owner = connection.exec_driver_sql("SELECT current_user").scalar()
                apply_rls(connection, Base.metadata, app_role if app_role != owner else None)
    finally:
        engine.dispose()


def pending_migrations() -> set[str]:
    """Heads the database has not reached yet (empty when it is current)."""
    from patron.db import db

    script = ScriptDirectory.from_config(alembic_config())
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    # Alembic records only the newest revision of a line: a plugin branch that depends on the
    # core's head stands for it, so "applied" is everything below the recorded heads.
    applied = {rev.revision for rev in script.iterate_revisions(current, "base")}
    return set(script.get_heads()) - applied
