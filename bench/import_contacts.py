"""Benchmark: a 100,000-row CSV imported through the real import code, against a floor.

    .venv/bin/python bench/import_contacts.py [--rows 100000] [--batch-size 1000]

The file (contacts, or accounts where the contact entity is not installed) is uploaded with
``POST /api/v1/imports`` and imported by the worker's own ``core.imports`` job, on a fresh
SQLite database, and also on a fresh PostgreSQL database when ``PATRON_BENCH_DATABASE_URL``
names a superuser connection (the app then connects as the plain ``patron_app`` role, with
row-level security in force, as in production). Printed for each: rows per second, peak RSS
(``resource.getrusage``), and two floors measured in the same run, with the ratio to each:

- the **floor**: a plain ``csv.reader`` and a SQLAlchemy Core bulk insert of the same rows
  into the same table (no validation, no rules, no events);
- the **write floor**: the floor plus what Patron writes for each record besides its row, as
  plain Core bulk inserts: an audit row and a search document (made by the indexer's own
  ``document_fields``, so on SQLite the FTS5 triggers index it as Patron's would). The import
  cannot get below it without writing less; the distance to it is the import's own work
  (parsing, validation, rules, events, payloads).

Not part of the test suite: ``bench/`` is outside pytest's ``testpaths``.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchdb import bench_admin_url
from seed import documents
from sqlalchemy import create_engine, insert

from patron.audit.models import AuditEvent
from patron.db import db, new_id, tenant_context
from patron.db.sqlite import tune_sqlite_engine
from patron.entities import entities
from patron.imports.parsing import batched
from patron.imports.runner import run_queued_imports
from patron.records.spec import spec_for
from patron.search.models import SearchDocument
from patron.testing.databases import (
    TestDatabase,
    create_postgres_database,
    drop_postgres_database,
)
from patron.testing.fixtures import Auth, build_app, make_tenant

#: Column → value of row ``i``, for the fields the benchmark fills when the entity has them.
COLUMNS: dict[str, Callable[[int], str]] = {
    "first_name": lambda i: f"First{i}",
    "last_name": lambda i: f"Last{i}",
    "email": lambda i: f"person{i}@example{i % 97}.test",
    "title": lambda i: ("Buyer", "CFO", "Engineer")[i % 3],
    "name": lambda i: f"Company {i}",
    "domain": lambda i: f"company{i}.test",
    "industry": lambda i: ("retail", "energy", "media")[i % 3],
}


@dataclass
class Result:
    """One database's figures."""

    database: str
    rows: int
    import_seconds: float
    floor_seconds: float
    write_floor_seconds: float
    peak_rss_mib: float

    def lines(self) -> Iterator[str]:
        """The figures, as printed."""
        rate = self.rows / self.import_seconds
        floor = self.rows / self.floor_seconds
        yield f"{self.database}: {self.rows} rows"
        yield f"  import: {self.import_seconds:8.1f} s  {rate:10,.0f} rows/s  " \
              f"peak RSS {self.peak_rss_mib:,.0f} MiB"
        yield f"  floor:  {self.floor_seconds:8.1f} s  {floor:10,.0f} rows/s  " \
              "(csv.reader + Core bulk insert)"
        yield f"  write floor: {self.write_floor_seconds:3.1f} s  " \
              f"{self.rows / self.write_floor_seconds:10,.0f} rows/s  " \
              "(the same + an audit row and a search document each)"
        yield f"  ratio:  import is {floor / rate:,.1f}x slower than the floor, " \
              f"{self.import_seconds / self.write_floor_seconds:,.1f}x the write floor"


def target(app) -> tuple[str, type, list[str]]:
    """The entity to import (contacts if installed, else accounts), its model, and the
    benchmark columns its API accepts."""
    with app.app_context():
        resource = "contact" if "contact" in entities() else "account"
        spec = spec_for(resource)
        loadable = spec.schema().load_fields
    return resource, spec.model, [name for name in COLUMNS if name in loadable]


def write_csv(path: Path, columns: list[str], rows: int) -> None:
    """The benchmark file, written row by row."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        for i in range(rows):
            writer.writerow([COLUMNS[c](i) for c in columns])


def peak_rss_mib() -> float:
    """The process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(app, tenant, path: Path, resource: str, batch_size: int) -> float:
    """Upload ``path`` through the API and run the worker's job; seconds the job took."""
    api = Auth(app, app.test_client()).api(tenant)
    with path.open("rb") as file:
        response = api.post("/imports", data={"file": (file, path.name), "resource": resource,
                                              "on_duplicate": "create"},
                            content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    started = time.perf_counter()
    with app.app_context(), tenant_context(tenant.id):
        run_queued_imports(batch_size)
        db.session.remove()
    seconds = time.perf_counter() - started
    job = api.get(f"/imports/{response.get_json()['id']}").get_json()
    assert job["status"] == "done", job
    return seconds


def csv_rows(path: Path, tenant) -> Iterator[dict]:
    """The file's rows as column values of the current tenant's admin's records."""
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        header = next(reader)
        for cells in reader:
            yield {"tenant_id": tenant.id, "owner_id": tenant.admin_id,
                   **dict(zip(header, cells, strict=True))}


def timed_floor(url: str, model: type, tenant, path: Path, batch_size: int) -> float:
    """The same rows read by ``csv.reader`` and inserted with Core in batches; seconds."""
    engine = floor_engine(url)
    started = time.perf_counter()
    with engine.begin() as connection:
        for batch in batched(csv_rows(path, tenant), batch_size):
            connection.execute(insert(model.__table__), batch)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def timed_write_floor(app, url: str, resource: str, model: type, tenant, path: Path,
                      batch_size: int) -> float:
    """The floor plus an audit row and a search document per row, each table with one Core
    insert per batch; seconds."""
    engine = floor_engine(url)
    started = time.perf_counter()
    with app.app_context(), tenant_context(tenant.id), engine.begin() as connection:
        for batch in batched(csv_rows(path, tenant), batch_size):
            now = datetime.now(UTC)
            for row in batch:
                row.update(id=new_id(), created_at=now, updated_at=now)
            connection.execute(insert(model.__table__), batch)
            connection.execute(insert(AuditEvent.__table__), [
                {"tenant_id": tenant.id, "id": new_id(), "occurred_at": now,
                 "actor_id": tenant.admin_id, "interface": "import", "action": "create",
                 "entity": resource, "record_id": row["id"],
                 "changes": {key: [None, value] for key, value in row.items()
                             if key in COLUMNS}}
                for row in batch])
            connection.execute(insert(SearchDocument.__table__),
                               list(documents(tenant.id, resource, iter(batch))))
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def floor_engine(url: str):
    """A plain engine as the table owner (on SQLite with Patron's pragmas and multi-row
    inserts, which the FTS5 triggers need to be fast)."""
    engine = create_engine(url)
    tune_sqlite_engine(engine)
    return engine


def bench(label: str, database: TestDatabase, floor_url: str, workdir: Path, rows: int,
          batch_size: int) -> Result:
    """Import ``rows`` rows on ``database``, then measure the floor on it."""
    app = build_app(database, workdir / f"home-{label}")
    resource, model, columns = target(app)
    path = workdir / f"{resource}s.csv"
    write_csv(path, columns, rows)
    importer = make_tenant(app, f"bench-{label}")
    import_seconds = timed_import(app, importer, path, resource, batch_size)
    peak = peak_rss_mib()
    floor_seconds = timed_floor(floor_url, model, make_tenant(app, f"floor-{label}"), path,
                                batch_size)
    write_floor_seconds = timed_write_floor(app, floor_url, resource, model,
                                            make_tenant(app, f"writes-{label}"), path,
                                            batch_size)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return Result(f"{label} ({resource})", rows, import_seconds, floor_seconds,
                  write_floor_seconds, peak)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on SQLite (and PostgreSQL if asked) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="patron-bench-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'bench.db'}"
        report(bench("sqlite", TestDatabase(url, url), url, workdir, args.rows,
                     args.batch_size))
        admin_url = bench_admin_url()
        if admin_url:
            name = f"patron_bench_{os.getpid()}"
            database = create_postgres_database(admin_url, name)
            try:
                report(bench("postgresql", database, database.admin_url, workdir, args.rows,
                             args.batch_size))
            finally:
                drop_postgres_database(admin_url, name)
    return 0


def report(result: Result) -> None:
    """Print one database's figures as soon as they are known."""
    print(*result.lines(), sep="\n", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
