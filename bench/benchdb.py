"""Where the benchmarks keep their databases: a SQLite file, or a PostgreSQL database made on
the server that ``PATRON_BENCH_DATABASE_URL`` (a superuser URL) names.

A seeded database is described by a small JSON file beside it (:class:`SeedInfo`), so
``bench/api.py`` can serve and load a database ``bench/seed.py`` made in an earlier run.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from patron.testing.databases import TestDatabase, create_postgres_database

#: Default directory of seeded databases and their app homes (outside the repository).
WORKDIR = Path(tempfile.gettempdir()) / "patron-bench"
#: Password of every user the seed makes in the large tenant.
PASSWORD = "bench-password-1"


def bench_admin_url() -> str | None:
    """The PostgreSQL superuser URL from ``PATRON_BENCH_DATABASE_URL`` (psycopg 3 driver)."""
    url = os.environ.get("PATRON_BENCH_DATABASE_URL", "")
    return url.replace("postgresql://", "postgresql+psycopg://", 1) or None


def fresh_database(kind: str, name: str, workdir: Path = WORKDIR) -> TestDatabase:
    """An empty database ``name`` of ``kind`` (``sqlite`` or ``postgresql``), dropping any
    earlier one of that name. On PostgreSQL the app connects as the non-owner role."""
    workdir.mkdir(parents=True, exist_ok=True)
    if kind == "postgresql":
        admin_url = bench_admin_url()
        if not admin_url:
            raise SystemExit("set PATRON_BENCH_DATABASE_URL to a PostgreSQL superuser URL")
        return create_postgres_database(admin_url, name)
    path = workdir / f"{name}.db"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    return TestDatabase(url, url, url)


@dataclass
class SeedInfo:
    """What a seeded database holds, for the runs that use it."""

    kind: str
    name: str
    app_url: str
    admin_url: str
    home: str
    tenant: str
    admin_email: str
    rep_emails: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    tenants: int = 0

    @staticmethod
    def path(kind: str, name: str, workdir: Path = WORKDIR) -> Path:
        """Where the description of the ``kind`` database ``name`` is kept."""
        return workdir / f"{name}.{kind}.json"

    def save(self, workdir: Path = WORKDIR) -> Path:
        """Write the description beside the database; returns its path."""
        path = self.path(self.kind, self.name, workdir)
        path.write_text(json.dumps(asdict(self), indent=2))
        return path

    @classmethod
    def load(cls, kind: str, name: str, workdir: Path = WORKDIR) -> SeedInfo:
        """The description of a database seeded earlier."""
        path = cls.path(kind, name, workdir)
        if not path.exists():
            raise SystemExit(f"no seeded {kind} database {name!r}: run bench/seed.py "
                             f"--database {kind} --name {name}")
        return cls(**json.loads(path.read_text()))

    def environment(self) -> dict[str, str]:
        """``PATRON_*`` variables that point ``patron serve`` at this database."""
        return {"PATRON_HOME": self.home, "PATRON_DATABASE_URL": self.app_url,
                "PATRON_MIGRATION_DATABASE_URL": self.admin_url,
                "PATRON_SECRET_KEY": "bench-secret", "PATRON_SESSION_COOKIE_SECURE": "false"}
