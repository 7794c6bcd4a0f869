"""Test databases: a migrated SQLite template copied per test, or one PostgreSQL database
per test session, truncated after each test.

``PATRON_TEST_DATABASE_URL`` (a superuser URL, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) switches to PostgreSQL: a database
``patron_test_<worker>`` is created from scratch, migrated as the superuser (the table owner)
and used by the app as the plain role ``patron_app``, so row-level security is in force
exactly as in production.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

APP_ROLE = "patron_app"


@dataclass
class TestDatabase:
    """Where one test's app connects, and how to clean up after it."""

    __test__ = False  # not a test class, whatever its name

    app_url: str
    migration_url: str
    admin_url: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.app_url.startswith("postgresql")


def postgres_admin_url() -> str | None:
    """The superuser URL from ``PATRON_TEST_DATABASE_URL``, if set."""
    url = os.environ.get("PATRON_TEST_DATABASE_URL")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or None


def create_postgres_database(admin_url: str, name: str) -> TestDatabase:
    """(Re)create database ``name`` and the app role; returns the URLs to use."""
    admin = make_url(admin_url)
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
        ).scalar()
        if not exists:
            # Another test session may create it at the same moment.
            with contextlib.suppress(DBAPIError):
                connection.execute(
                    text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS "
                         "PASSWORD 'patron'")
                )
    engine.dispose()
    owner_url: URL = admin.set(database=name)
    app_url: URL = owner_url.set(username=APP_ROLE, password="patron")
    return TestDatabase(
        app_url=app_url.render_as_string(hide_password=False),
        migration_url=owner_url.render_as_string(hide_password=False),
        admin_url=owner_url.render_as_string(hide_password=False),
    )


def drop_postgres_database(admin_url: str, name: str) -> None:
    """Drop a test database."""
    engine = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def truncate_all(admin_url: str) -> None:
    """Empty every table but Alembic's (fast enough per test, and leaves no state behind)."""
    engine = create_engine(admin_url)
    with engine.begin() as connection:
        tables = connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars().all()
        if tables:
            connection.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            )
    engine.dispose()


def sqlite_copy(template: Path, target: Path) -> TestDatabase:
    """Copy the migrated template database for one test."""
    shutil.copyfile(template, target)
    url = f"sqlite:///{target}"
    return TestDatabase(app_url=url, migration_url=url)
