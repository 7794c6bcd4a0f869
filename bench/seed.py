"""Seed a fresh, migrated database at SaaS scale, fast, for ``bench/api.py``.

    .venv/bin/python bench/seed.py [--accounts 200000] [--tenants 1000] [--database sqlite]

One large tenant, made with the real tenant provisioning (default roles, an admin, sales
reps with a skewed share of the records), with its custom fields defined through the real
service, then ``--accounts`` N accounts, 5·N contacts with custom-field values, activities,
opportunities when the sales plugin is installed, and the search documents of all of them
(built by :func:`patron.search.indexing.document_fields`, the indexer's own code, so global
search finds them); plus ``--tenants`` M small tenants with a few records each. Records are
written with SQLAlchemy Core bulk inserts as the table owner, not the ORM row by row.

``--database postgresql`` seeds a database on the server ``PATRON_BENCH_DATABASE_URL`` (a
superuser URL) names; the app then connects as the plain ``patron_app`` role, with row-level
security in force. Prints rows per second per table. Names, e-mails and domains come from
Faker (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice, repeat
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from benchdb import PASSWORD, WORKDIR, SeedInfo, fresh_database
from sqlalchemy import Engine, create_engine, insert, select

from patron.customers.models import Account, Activity, Attachment, Contact
from patron.db import db, new_id, tenant_context
from patron.entities import entities
from patron.imports.parsing import batched
from patron.search.indexing import document_fields, text_fields
from patron.search.models import SearchDocument
from patron.testing.fixtures import build_app

SLUG = "bigco"
#: Custom fields of the large tenant: (entity, name, type, options).
CUSTOM_FIELDS = (
    ("contact", "tier", "select", ["bronze", "silver", "gold", "platinum"]),
    ("contact", "score", "number", []),
    ("contact", "newsletter", "boolean", []),
    ("account", "segment", "select", ["smb", "mid_market", "enterprise"]),
    ("account", "region", "text", []),
)
TIERS = ("bronze", "silver", "gold", "platinum")
ACTIVITY_KINDS = ("call_in", "call_out", "meeting", "task", "email", "note", "visit")
INDUSTRIES = ("retail", "energy", "media", "finance", "health", "logistics", "software")
POOL = 4000


class Names:
    """Pools of realistic words drawn once from Faker, then combined at random: Faker itself
    is far too slow to call a million times."""

    def __init__(self, rng: random.Random) -> None:
        from faker import Faker  # here: bench/sales_reports.py uses this module without it

        fake = Faker()
        fake.seed_instance(rng.random())
        self.rng = rng
        self.first = [fake.first_name() for _ in range(POOL)]
        self.last = [fake.last_name() for _ in range(POOL)]
        self.companies = [fake.company() for _ in range(POOL)]
        self.jobs = [fake.job()[:100] for _ in range(500)]
        self.cities = [fake.city() for _ in range(500)]
        self.phrases = [fake.catch_phrase()[:150] for _ in range(POOL)]
        self.phones = [fake.numerify("+1 ###-###-####") for _ in range(POOL)]

    def pick(self, pool: list[str]) -> str:
        """A random word of ``pool``."""
        return pool[self.rng.randrange(len(pool))]


def skewed(rng: random.Random, people: list[uuid.UUID]) -> Callable[[], uuid.UUID]:
    """A draw of owners where a few own most (Zipf-like weights 1/k^1.2)."""
    weights = [1 / (rank + 1) ** 1.2 for rank in range(len(people))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return lambda: rng.choices(people, cum_weights=cumulative)[0]


def slugify(company: str) -> str:
    """A domain label made from a company name."""
    return "".join(c for c in company.lower() if c.isalnum())[:40] or "company"


class Seeder:
    """Bulk-inserts one tenant's records and their search documents, timing each table."""

    def __init__(self, engine: Engine, tenant_id: uuid.UUID, batch_size: int) -> None:
        self.engine = engine
        self.tenant_id = tenant_id
        self.batch_size = batch_size
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def insert(self, label: str, table, rows: Iterator[dict]) -> None:
        """Insert ``rows`` into ``table`` in batches, one transaction per batch."""
        started = time.perf_counter()
        count = 0
        for batch in batched(rows, self.batch_size):
            with self.engine.begin() as connection:
                connection.execute(insert(table), batch)
            count += len(batch)
        self.rows[label] = self.rows.get(label, 0) + count
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started


def stamp(rng: random.Random, now: datetime) -> dict[str, Any]:
    """``created_at``/``updated_at`` within the last two years, and ``version`` 1."""
    created = now - timedelta(seconds=rng.randrange(2 * 365 * 86400))
    return {"created_at": created, "updated_at": created, "version": 1}


def account_rows(tenant_id, ids, names: Names, owner, rng, now) -> Iterator[dict]:
    """Companies with domains made from their names, a segment and a region."""
    for account_id in ids:
        company = names.pick(names.companies)
        yield {"tenant_id": tenant_id, "id": account_id, "owner_id": owner(),
               "name": company, "kind": "company",
               "status": rng.choice(("prospect", "active", "active", "inactive")),
               "domain": f"{slugify(company)}{rng.randrange(1000)}.example.com",
               "industry": rng.choice(INDUSTRIES), "phone": names.pick(names.phones),
               "addresses": [],
               "custom": {"segment": rng.choice(("smb", "smb", "mid_market", "enterprise")),
                          "region": names.pick(names.cities)},
               **stamp(rng, now)}


def contact_rows(tenant_id, account_ids, per_account, names: Names, owner, rng,
                 now) -> Iterator[dict]:
    """``per_account`` people at each account, e-mail at its domain, with custom values."""
    for account_id, domain in account_ids:
        for _ in range(per_account):
            first, last = names.pick(names.first), names.pick(names.last)
            email = f"{first}.{last}{rng.randrange(100)}@{domain}".lower()
            yield {"tenant_id": tenant_id, "id": new_id(), "owner_id": owner(),
                   "first_name": first, "last_name": last, "title": names.pick(names.jobs),
                   "email": email, "emails": [email], "phones": [names.pick(names.phones)],
                   "account_id": account_id, "email_opt_in": rng.random() < 0.4,
                   "phone_opt_in": rng.random() < 0.2,
                   "custom": {"tier": rng.choice(TIERS), "score": rng.randrange(100),
                              "newsletter": rng.random() < 0.3},
                   **stamp(rng, now)}


def activity_rows(tenant_id, contacts, names: Names, owner, rng, now) -> Iterator[dict]:
    """One timeline entry per ``(contact, account)`` given."""
    for contact_id, account_id in contacts:
        kind = rng.choice(ACTIVITY_KINDS)
        yield {"tenant_id": tenant_id, "id": new_id(), "owner_id": owner(), "kind": kind,
               "subject": f"{kind.replace('_', ' ').title()}: {names.pick(names.phrases)}",
               "status": rng.choice(("open", "done", "done")), "priority": "normal",
               "due_at": now + timedelta(days=rng.randrange(-300, 60)),
               "account_id": account_id, "contact_id": contact_id, "custom": {},
               **stamp(rng, now)}


def attachment_rows(tenant_id, accounts, names: Names, owner, rng, now) -> Iterator[dict]:
    """Files attached to accounts: their rows only (the 360° view lists them; the bytes are
    never read by the benchmark, so none are written)."""
    for account_id, _ in accounts:
        stem = names.pick(names.phrases).split()[0].lower()
        yield {"tenant_id": tenant_id, "id": new_id(), "parent_entity": "account",
               "parent_id": account_id, "filename": f"{stem}-{rng.randrange(10_000)}.pdf",
               "content_type": "application/pdf", "size": rng.randrange(10_000, 5_000_000),
               "uploaded_by": owner(), **stamp(rng, now)}


def documents(tenant_id, entity_name: str, rows: Iterator[dict]) -> Iterator[dict]:
    """The search documents of ``rows``, made by the indexer's own code."""
    entity = entities()[entity_name]
    custom_fields = text_fields(entity)
    unset = dict.fromkeys(entity.model.__table__.columns.keys())
    for row in rows:
        record = SimpleNamespace(**{**unset, **row})
        if entity_name in ("contact", "lead"):
            record.full_name = f"{row.get('first_name') or ''} {row['last_name']}".strip()
        yield {"tenant_id": tenant_id, "id": new_id(), "entity": entity_name,
               "record_id": row["id"], "updated_at": row["updated_at"],
               **document_fields(entity, record, custom_fields)}


def with_documents(seeder: Seeder, entity_name: str, table, rows: Iterator[dict],
                   keep: Callable[[dict], Any] | None = None) -> list:
    """Insert ``rows`` and their search documents batch by batch; returns ``keep(row)`` of
    every row (ids to refer to later)."""
    kept: list = []
    for batch in batched(rows, seeder.batch_size):
        seeder.insert(table.name, table, iter(batch))
        seeder.insert(SearchDocument.__tablename__, SearchDocument.__table__,
                      documents(seeder.tenant_id, entity_name, iter(batch)))
        if keep is not None:
            kept += [keep(row) for row in batch]
    return kept


def provision(app, slug: str, reps: int, with_sales: bool) -> tuple[uuid.UUID, list, list]:
    """The large tenant through the real services: tenant, roles, admin, reps, custom fields,
    modules. Returns its id, its people's ids (admin first) and their e-mail addresses."""
    from patron.customfields.services import create_definition
    from patron.modules import enable_module
    from patron.provisioning.tenants import create_tenant
    from patron.rbac.users import create_user

    with app.app_context():
        tenant, admin = create_tenant(slug, "BigCo", admin_email=f"admin@{slug}.test",
                                      admin_password=PASSWORD)
        with tenant_context(tenant.id):
            people = [admin.id]
            emails = [admin.email]
            for number in range(reps):
                user = create_user(f"rep{number}@{slug}.test", role="sales_rep",
                                   manager_id=admin.id)
                # The same password as the admin's: hashing it again per rep would only time
                # the (deliberately slow) password hash.
                user.password_hash = admin.password_hash
                people.append(user.id)
                emails.append(user.email)
            for position, (entity, name, kind, options) in enumerate(CUSTOM_FIELDS):
                create_definition({"entity": entity, "name": name, "label": name.title(),
                                   "type": kind, "options": options, "position": position})
            if with_sales:
                enable_module("sales")
        db.session.commit()
        tenant_id = tenant.id
        db.session.remove()
    return tenant_id, people, emails


def sales_models() -> tuple | None:
    """``(Opportunity, Stage)`` of the sales plugin, or ``None`` when it is not installed or
    has no opportunities yet."""
    try:
        from patron_sales.models.deals import Opportunity, Stage
    except ImportError:
        return None
    return Opportunity, Stage


def opportunity_rows(tenant_id, account_ids, stages, names: Names, owner, rng, now,
                     currency: str) -> Iterator[dict]:
    """One deal per account, at a random stage of the tenant's pipelines."""
    for account_id, _ in account_ids:
        stage = rng.choice(stages)
        created = stamp(rng, now)
        yield {"tenant_id": tenant_id, "id": new_id(), "owner_id": owner(),
               "name": f"{names.pick(names.phrases)[:150]} deal", "account_id": account_id,
               "pipeline_id": stage.pipeline_id, "stage_id": stage.id,
               "furthest_stage_id": stage.id if stage.kind != "lost" else None,
               "status": stage.kind, "amount": Decimal(rng.randrange(1000, 500_000)),
               "currency": currency,
               "expected_close_date": (now + timedelta(days=rng.randrange(-90, 180))).date(),
               "probability": stage.probability, "forecast_category": "pipeline",
               "stage_entered_at": created["created_at"], "custom": {},
               "closed_at": created["created_at"] if stage.kind != "open" else None,
               **created}


def seed_large_tenant(app, engine: Engine, args, rng: random.Random, names: Names) -> Seeder:
    """The large tenant: provisioned for real, its records bulk-inserted."""
    sales = sales_models() if args.opportunities else None
    tenant_id, people, _ = provision(app, SLUG, args.reps, with_sales=sales is not None)
    owner = skewed(rng, people)
    seeder = Seeder(engine, tenant_id, args.batch_size)
    now = datetime.now(UTC)
    with app.app_context(), tenant_context(tenant_id):
        accounts = with_documents(
            seeder, "account", Account.__table__,
            account_rows(tenant_id, (new_id() for _ in range(args.accounts)), names, owner,
                         rng, now),
            keep=lambda row: (row["id"], row["domain"]))
        contacts = with_documents(
            seeder, "contact", Contact.__table__,
            contact_rows(tenant_id, accounts, args.contacts_per_account, names, owner, rng,
                         now),
            keep=lambda row: (row["id"], row["account_id"]))
        sample = islice((contacts[rng.randrange(len(contacts))] for _ in iter(int, 1)),
                        int(len(contacts) * args.activities_per_contact))
        with_documents(seeder, "activity", Activity.__table__,
                       activity_rows(tenant_id, sample, names, owner, rng, now))
        attached = islice((accounts[rng.randrange(len(accounts))] for _ in iter(int, 1)),
                          int(len(accounts) * args.attachments_per_account))
        seeder.insert("attachments", Attachment.__table__,
                      attachment_rows(tenant_id, attached, names, owner, rng, now))
        if sales is not None:
            opportunity, stage = sales
            stages = db.session.execute(select(stage)).scalars().all()
            currency = "USD"
            with_documents(seeder, "opportunity", opportunity.__table__,
                           opportunity_rows(tenant_id, accounts, stages, names, owner, rng,
                                            now, currency))
        db.session.remove()
    return seeder


def seed_small_tenants(app, engine: Engine, count: int, args, rng: random.Random,
                       names: Names) -> tuple[int, float]:
    """``count`` small tenants, each provisioned for real (roles, an admin without a password:
    hashing thousands of passwords would time the hash, not the database) with a few accounts
    and contacts. Returns rows written and seconds taken."""
    from patron.provisioning.tenants import create_tenant

    started = time.perf_counter()
    rows = 0
    now = datetime.now(UTC)
    for number in range(count):
        slug = f"small{number:05d}"
        with app.app_context():
            tenant, admin = create_tenant(slug, f"Small {number}", admin_email=f"admin@{slug}.test",
                                          admin_password=None)
            db.session.commit()
            tenant_id, admin_id = tenant.id, admin.id
            seeder = Seeder(engine, tenant_id, args.batch_size)
            with tenant_context(tenant_id):
                accounts = with_documents(
                    seeder, "account", Account.__table__,
                    account_rows(tenant_id, (new_id() for _ in range(args.small_accounts)),
                                 names, repeat(admin_id).__next__, rng, now),
                    keep=lambda row: (row["id"], row["domain"]))
                admin_owns = repeat(admin_id).__next__
                with_documents(seeder, "contact", Contact.__table__,
                               contact_rows(tenant_id, accounts, 2, names, admin_owns, rng, now))
            db.session.remove()
        rows += sum(seeder.rows.values())
    return rows, time.perf_counter() - started


def seed(args) -> SeedInfo:
    """Make the database ``args.name`` and fill it; prints the rates as it goes."""
    database = fresh_database(args.database, args.name, args.workdir)
    home = args.workdir / f"home-{args.name}-{args.database}"
    app = build_app(database, home)
    engine = create_engine(database.admin_url or database.app_url)
    rng = random.Random(args.seed)
    names = Names(rng)
    started = time.perf_counter()
    seeder = seed_large_tenant(app, engine, args, rng, names)
    for table, rows in seeder.rows.items():
        seconds = seeder.seconds[table]
        print(f"  {table:24} {rows:>10,} rows  {seconds:7.1f} s  {rows / seconds:>9,.0f} rows/s",
              flush=True)
    large_seconds = time.perf_counter() - started
    large_rows = sum(seeder.rows.values())
    print(f"  large tenant: {large_rows:,} rows in {large_seconds:.1f} s "
          f"({large_rows / large_seconds:,.0f} rows/s, Faker and id generation included)")
    small_rows, small_seconds = seed_small_tenants(app, engine, args.tenants, args, rng, names)
    if args.tenants:
        print(f"  {args.tenants:,} small tenants: {small_rows:,} rows in {small_seconds:.1f} s "
              f"({args.tenants / small_seconds:,.1f} tenants/s, provisioning included)")
    if args.opportunities and sales_models() is not None:
        fill_report_totals(engine)
    analyze(engine)
    engine.dispose()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    info = SeedInfo(kind=args.database, name=args.name, app_url=database.app_url,
                    admin_url=database.admin_url or database.app_url, home=str(home),
                    tenant=SLUG, admin_email=f"admin@{SLUG}.test",
                    rep_emails=[f"rep{n}@{SLUG}.test" for n in range(args.reps)],
                    counts=dict(seeder.rows), tenants=args.tenants + 1)
    info.save(args.workdir)
    return info


def fill_report_totals(engine: Engine) -> None:
    """The sales forecast's and funnel's totals of the bulk-inserted deals (the migration's
    backfill: the write path that keeps them was bypassed)."""
    from patron_sales.services.report_totals import rebuild

    with engine.begin() as connection:
        rebuild(connection)


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics, as a database that grew would have them."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def parser() -> argparse.ArgumentParser:
    """The command line (shared with ``bench/api.py``'s scaling runs)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200_000,
                        help="accounts of the large tenant (N; contacts are 5·N)")
    parser.add_argument("--tenants", type=int, default=1000, help="small tenants (M)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--name", default="patron_bench", help="database (and file) name")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--contacts-per-account", type=int, default=5)
    parser.add_argument("--activities-per-contact", type=float, default=0.4)
    parser.add_argument("--attachments-per-account", type=float, default=0.5)
    parser.add_argument("--reps", type=int, default=40, help="sales reps of the large tenant")
    parser.add_argument("--small-accounts", type=int, default=3,
                        help="accounts of each small tenant (each with two contacts)")
    parser.add_argument("--no-opportunities", dest="opportunities", action="store_false",
                        help="no opportunities and no sales module, even when the sales "
                             "plugin is installed (the 360° view then has no sales panels)")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Seed a database and print the rates."""
    args = parser().parse_args(argv)
    print(f"seeding {args.database} database {args.name}: {args.accounts:,} accounts, "
          f"{args.accounts * args.contacts_per_account:,} contacts, {args.tenants:,} small "
          "tenants", flush=True)
    info = seed(args)
    print(f"described in {SeedInfo.path(info.kind, info.name, args.workdir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
