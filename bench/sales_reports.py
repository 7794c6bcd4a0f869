"""Benchmark: the sales forecast and funnel with N opportunities in one tenant.

    .venv/bin/python bench/sales_reports.py [--opportunities 1000000] [--tenants 200]
        [--database sqlite|postgresql|both] [--reuse] [--rounds 30]

Seeds (unless ``--reuse``) one large tenant, provisioned for real with the sales module on
(its default pipeline of eleven stages) and ``--reps`` sales reps owning the deals with a
skewed share, with ``--opportunities`` deals and their stage history (about two stays per
deal: each deal goes from the first stage to its current one through zero to two stages in
between; about half are open, a quarter won, a quarter lost), plus ``--tenants`` small
tenants with a handful of deals each; written with SQLAlchemy Core bulk inserts as the table
owner like ``bench/seed.py``. Then fills the report totals from the deals with
:func:`patron_sales.services.report_totals.rebuild`, the migration's backfill, and times it.

Then times, in-process (Flask test client, the app built as ``patron serve`` builds it,
signed in as the tenant admin), each report request ``--rounds`` times, interleaved with two
floors measured in the same run:

* **totals floor**: the same aggregates over the same totals tables as plain SQLAlchemy Core
  queries (one for the forecast, three for the funnel; table owner, explicit ``tenant_id``,
  no scoping, no API, no JSON): what the database must do for the report as it is built now
  (none for a funnel of partial months, which reads those days' deals);
* **deals floor**: the request's aggregates computed straight from the deals (and, for the
  funnel, their stage history) as plain Core: the least a report without totals would cost,
  whatever indexes served it.

Prints p50/p95 in milliseconds and the ratios ours/floor. The target is under 300 ms on
PostgreSQL at 1,000,000 deals.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from benchdb import PASSWORD, WORKDIR, SeedInfo, fresh_database
from seed import Seeder, analyze, provision, skewed, stamp
from sqlalchemy import Engine, create_engine, func, select

from patron.customers.models import Account
from patron.db import db, new_id, tenant_context
from patron.testing.fixtures import build_app
from patron_sales.models.deals import LOST, OPEN, WON, Opportunity, Stage, StageVisit
from patron_sales.models.reporting import ForecastTotal, FunnelTotal, StageTimeTotal
from patron_sales.services.report_totals import rebuild
from patron_sales.services.sql_dates import days_between, month_index, month_number

SLUG = "bigsales"
CATEGORIES = ("pipeline", "pipeline", "best_case", "commit", "omitted")
DEALS_PER_ACCOUNT = 5


def deal_rows(tenant_id: uuid.UUID, accounts: list[uuid.UUID], count: int, stages: list,
              owner: Callable[[], uuid.UUID], rng: random.Random, now: datetime,
              visits: list[dict]) -> Iterator[dict]:
    """``count`` deals of the pipeline of ``stages``; each deal's stays go to ``visits``
    (emptied by the caller after every batch)."""
    open_stages = [s for s in stages if s.kind == OPEN]
    won = next(s for s in stages if s.kind == WON)
    lost = next(s for s in stages if s.kind == LOST)
    for _ in range(count):
        deal_id = new_id()
        created = now - timedelta(seconds=rng.randrange(2 * 365 * 86400))
        fate = rng.random()
        reached = min(int(rng.expovariate(0.35)), len(open_stages) - 1)
        path = [open_stages[0]]
        between = sorted(rng.sample(range(1, reached), min(rng.choice((0, 1, 1, 2)),
                                                              max(reached - 1, 0))))
        path += [open_stages[i] for i in between]
        if reached:
            path.append(open_stages[reached])
        if fate < 0.25:
            path.append(won)
        elif fate < 0.5:
            path.append(lost)
        entered = created
        for index, stage in enumerate(path):
            leaves = entered + timedelta(hours=rng.randrange(2, 24 * 40))
            last = index == len(path) - 1
            visits.append({"tenant_id": tenant_id, "id": new_id(), "opportunity_id": deal_id,
                           "stage_id": stage.id, "entered_at": entered,
                           "exited_at": None if last else leaves, "moved_by": None})
            if not last:
                entered = leaves
        current = path[-1]
        furthest = [s for s in path if s.kind != LOST][-1]
        yield {"tenant_id": tenant_id, "id": deal_id, "owner_id": owner(),
               "name": f"Deal {deal_id.hex[-8:]}",
               "account_id": accounts[rng.randrange(len(accounts))],
               "pipeline_id": current.pipeline_id, "stage_id": current.id,
               "furthest_stage_id": furthest.id, "status": current.kind,
               "amount": Decimal(rng.randrange(1000, 500_000)), "currency": "USD",
               "expected_close_date": (created + timedelta(days=rng.randrange(30, 240))).date(),
               "probability": current.probability,
               "forecast_category": rng.choice(CATEGORIES), "stage_entered_at": entered,
               "closed_at": entered if current.kind != OPEN else None, "custom": {},
               "created_at": created, "updated_at": entered, "version": 1}


def insert_deals(seeder: Seeder, tenant_id: uuid.UUID, accounts: list, count: int,
                 owner, rng: random.Random, now: datetime) -> None:
    """The tenant's deals and their stage history, batch by batch."""
    stages = db.session.execute(
        select(Stage).order_by(Stage.position)).scalars().all()
    visits: list[dict] = []
    rows = deal_rows(tenant_id, accounts, count, stages, owner, rng, now, visits)
    while batch := [row for _, row in zip(range(seeder.batch_size), rows, strict=False)]:
        seeder.insert(Opportunity.__tablename__, Opportunity.__table__, iter(batch))
        seeder.insert(StageVisit.__tablename__, StageVisit.__table__, iter(visits))
        visits.clear()


def account_rows(tenant_id: uuid.UUID, ids: list[uuid.UUID], owner, rng: random.Random,
                 now: datetime) -> Iterator[dict]:
    """Plain accounts for the deals to belong to (the reports never read them)."""
    for number, account_id in enumerate(ids):
        yield {"tenant_id": tenant_id, "id": account_id, "owner_id": owner(),
               "name": f"Customer {number}", "kind": "company", "status": "active",
               "addresses": [], "custom": {}, **stamp(rng, now)}


def seed_tenant(app, engine: Engine, tenant_id: uuid.UUID, people: list, deals: int,
                args, rng: random.Random) -> Seeder:
    """Accounts (one per five deals) and deals of a provisioned tenant with sales on."""
    seeder = Seeder(engine, tenant_id, args.batch_size)
    owner = skewed(rng, people)
    now = datetime.now(UTC)
    with app.app_context(), tenant_context(tenant_id):
        ids = [new_id() for _ in range(max(1, deals // DEALS_PER_ACCOUNT))]
        seeder.insert("accounts", Account.__table__,
                      account_rows(tenant_id, ids, owner, rng, now))
        insert_deals(seeder, tenant_id, ids, deals, owner, rng, now)
        db.session.remove()
    return seeder


def small_tenant(app, number: int) -> tuple[uuid.UUID, list]:
    """A small tenant with the sales module on (its default pipeline)."""
    from patron.modules import enable_module
    from patron.provisioning.tenants import create_tenant

    slug = f"smallsales{number:05d}"
    with app.app_context():
        tenant, admin = create_tenant(slug, f"Small {number}", admin_email=f"admin@{slug}.test",
                                      admin_password=None)
        with tenant_context(tenant.id):
            enable_module("sales")
        db.session.commit()
        result = tenant.id, [admin.id]
        db.session.remove()
    return result


def seed(args, kind: str) -> SeedInfo:
    """Make and fill the database; prints the rates."""
    database = fresh_database(kind, args.name, args.workdir)
    home = args.workdir / f"home-{args.name}-{kind}"
    app = build_app(database, home)
    engine = create_engine(database.admin_url or database.app_url)
    rng = random.Random(args.seed)
    print(f"seeding {kind} database {args.name}: {args.opportunities:,} opportunities in one "
          f"tenant, {args.tenants:,} small tenants with {args.small_opportunities} each",
          flush=True)
    started = time.perf_counter()
    tenant_id, people, _ = provision(app, SLUG, args.reps, with_sales=True)
    seeder = seed_tenant(app, engine, tenant_id, people, args.opportunities, args, rng)
    for table, rows in seeder.rows.items():
        seconds = seeder.seconds[table]
        print(f"  {table:24} {rows:>10,} rows  {seconds:7.1f} s  {rows / seconds:>9,.0f} rows/s",
              flush=True)
    print(f"  large tenant: {sum(seeder.rows.values()):,} rows in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    for number in range(args.tenants):
        small_id, admin = small_tenant(app, number)
        seed_tenant(app, engine, small_id, admin, args.small_opportunities, args, rng)
    if args.tenants:
        print(f"  {args.tenants:,} small tenants in {time.perf_counter() - started:.1f} s",
              flush=True)
    started = time.perf_counter()
    with engine.begin() as connection:
        written = rebuild(connection)
    print(f"  report totals (the migration's backfill, every tenant): {written:,} rows in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    analyze(engine)
    engine.dispose()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    info = SeedInfo(kind=kind, name=args.name, app_url=database.app_url,
                    admin_url=database.admin_url or database.app_url, home=str(home),
                    tenant=SLUG, admin_email=f"admin@{SLUG}.test", rep_emails=[],
                    counts=dict(seeder.rows), tenants=args.tenants + 1)
    info.save(args.workdir)
    return info


# ---- the floors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """What a request asks for: a forecast or a funnel, by owner or not, over which months
    (month numbers, both included) or, for a funnel, which opening times ``[from, to)``."""

    report: str
    by_owner: bool = False
    months: tuple[int, int] | None = None
    opened: tuple[datetime, datetime] | None = None


def totals_floor(tenant_id: uuid.UUID, pipeline_id: uuid.UUID, shape: Shape) -> tuple | None:
    """The request's aggregates over the totals tables, plain Core (``None`` when the
    request reads deals the totals do not cover: a funnel of partial months)."""
    if shape.opened is not None:
        return None
    f, d, s = (m.__table__.c for m in (ForecastTotal, FunnelTotal, StageTimeTotal))
    if shape.report == "forecast":
        groups = [f.close_month, *([f.owner_id] if shape.by_owner else []), f.category,
                  f.currency]
        statement = (select(*groups, func.sum(f.deals), func.sum(f.amount),
                            func.sum(f.weighted))
                     .where(f.tenant_id == tenant_id, f.pipeline_id == pipeline_id)
                     .group_by(*groups))
        if shape.months:
            statement = statement.where(f.close_month.between(*shape.months))
        return (statement,)
    owner_d, owner_s = ([d.owner_id], [s.owner_id]) if shape.by_owner else ([], [])
    deals = [d.tenant_id == tenant_id, d.pipeline_id == pipeline_id]
    reached = (select(d.furthest_stage_id, *owner_d, func.sum(d.deals)).where(*deals)
               .group_by(d.furthest_stage_id, *owner_d))
    summary = (select(*owner_d, d.status, d.currency, func.sum(d.deals), func.sum(d.amount),
                      func.sum(d.cycle_days)).where(*deals)
               .group_by(*owner_d, d.status, d.currency))
    stays = (select(s.stage_id, *owner_s, func.sum(s.stays), func.sum(s.days))
             .where(s.tenant_id == tenant_id, s.pipeline_id == pipeline_id)
             .group_by(s.stage_id, *owner_s))
    return reached, summary, stays


def deals_floor(tenant_id: uuid.UUID, pipeline_id: uuid.UUID, shape: Shape) -> tuple:
    """The same aggregates straight from the deals and their history, plain Core."""
    o, v = Opportunity.__table__.c, StageVisit.__table__.c
    owner = [o.owner_id] if shape.by_owner else []
    deals = [o.tenant_id == tenant_id, o.pipeline_id == pipeline_id]
    if shape.report == "forecast":
        month = month_index(o.expected_close_date)
        groups = [month, *owner, o.forecast_category, o.currency]
        if shape.months:
            deals.append(month.between(*shape.months))
        return (select(*groups, func.count(), func.sum(o.amount),
                       func.sum(o.amount * o.probability / 100))
                .where(*deals, o.status != LOST).group_by(*groups),)
    if shape.opened:
        deals += [o.created_at >= shape.opened[0], o.created_at < shape.opened[1]]
    reached = (select(o.furthest_stage_id, *owner, func.count()).where(*deals)
               .group_by(o.furthest_stage_id, *owner))
    summary = (select(*owner, o.status, o.currency, func.count(), func.sum(o.amount),
                      func.sum(days_between(o.created_at, o.closed_at))).where(*deals)
               .group_by(*owner, o.status, o.currency))
    stays = (select(v.stage_id, *owner, func.count(),
                    func.sum(days_between(v.entered_at, v.exited_at)))
             .select_from(Opportunity.__table__.join(
                 StageVisit.__table__, (v.tenant_id == o.tenant_id) & (v.opportunity_id == o.id)))
             .where(*deals, v.exited_at.is_not(None)).group_by(v.stage_id, *owner))
    return reached, summary, stays


# ---- timing ----------------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    """The ``p``-th percentile (inclusive method)."""
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def timed(call: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(info: SeedInfo, rounds: int) -> None:
    """Time each report against its floors, interleaved; print p50/p95 and the ratios."""
    from inprocess import patron_app

    app = patron_app(info)
    engine = create_engine(info.admin_url)
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={
        "tenant": info.tenant, "email": info.admin_email, "password": PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    with engine.connect() as connection:
        from patron.tenancy.models import Tenant
        from patron_sales.models.deals import Pipeline

        tenant_id = connection.execute(
            select(Tenant.id).where(Tenant.slug == info.tenant)).scalar_one()
        pipeline_id = connection.execute(select(Pipeline.id).where(
            Pipeline.tenant_id == tenant_id, Pipeline.is_default.is_(True))).scalar_one()
        deals = connection.execute(select(func.count()).select_from(Opportunity).where(
            Opportunity.tenant_id == tenant_id)).scalar_one()
        visits = connection.execute(select(func.count()).select_from(StageVisit).where(
            StageVisit.tenant_id == tenant_id)).scalar_one()
        tenants = connection.execute(select(func.count()).select_from(Tenant)).scalar_one()
    year = datetime.now(UTC).year
    twelve = (month_number(date(year, 1, 1)), month_number(date(year, 12, 1)))
    opened = (datetime(year - 1, 3, 10, tzinfo=UTC), datetime(year - 1, 3, 21, tzinfo=UTC))
    requests = {
        # The API's default: every month, by owner and department (one row per owner, month
        # and category: JSON of ~12,000 rows at 1M deals).
        "forecast": ("/api/v1/sales/forecast", Shape("forecast", by_owner=True)),
        "forecast, 12 months": (f"/api/v1/sales/forecast?from={year}-01&to={year}-12",
                                Shape("forecast", by_owner=True, months=twelve)),
        # What the forecast page asks for: no breakdown.
        "forecast, no breakdown": ("/api/v1/sales/forecast?group_by=", Shape("forecast")),
        "funnel": ("/api/v1/sales/funnel", Shape("funnel")),
        "funnel by owner": ("/api/v1/sales/funnel?group_by=owner",
                            Shape("funnel", by_owner=True)),
        # Not month boundaries: these days are read from the deals, not the totals.
        "funnel, days 10-20": (f"/api/v1/sales/funnel?created_from={year - 1}-03-10"
                               f"&created_to={year - 1}-03-20", Shape("funnel", opened=opened)),
    }
    floors = {"totals floor": totals_floor, "deals floor": deals_floor}

    def get(path: str) -> int:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code, response.get_data())
        return len(response.get_json()["items"])

    def run(statements: tuple) -> Callable[[], None]:
        def call() -> None:
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(statement).all()
        return call

    print(f"\n{info.kind} database {info.name}: {deals:,} opportunities and {visits:,} stage "
          f"stays in the large tenant, {tenants:,} tenants; {rounds} rounds per request, "
          "interleaved with the floors")
    print("  totals floor = the same aggregates over the totals tables as plain Core queries "
          "(no scoping, no API, no JSON)")
    print("  deals floor  = the same aggregate straight from the deals and their stage history "
          "as plain Core (what any design without totals must at least read)")
    print(f"  {'request':22} {'measured':14} {'p50 ms':>9} {'p95 ms':>9}   ours/floor p50, p95")
    for label, (path, shape) in requests.items():
        calls = {"patron": lambda path=path: get(path)}
        for name, floor in floors.items():
            statements = floor(tenant_id, pipeline_id, shape)
            if statements is not None:
                calls[name] = run(statements)
        samples: dict[str, list[float]] = {name: [] for name in calls}
        for call in calls.values():  # warm up (and fill the caches of every kind)
            call()
        for _ in range(rounds):
            for name, call in calls.items():
                samples[name].append(timed(call))
        ours = samples.pop("patron")
        print(f"  {label:22} {'patron':14} {percentile(ours, 50):9.1f} "
              f"{percentile(ours, 95):9.1f}   ({get(path):,} items)")
        for name, theirs in samples.items():
            print(f"  {'':22} {name:14} {percentile(theirs, 50):9.1f} "
                  f"{percentile(theirs, 95):9.1f}   "
                  f"{percentile(ours, 50) / percentile(theirs, 50):6.2f}x "
                  f"{percentile(ours, 95) / percentile(theirs, 95):6.2f}x", flush=True)
    engine.dispose()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=1_000_000,
                        help="deals of the large tenant (N)")
    parser.add_argument("--tenants", type=int, default=200, help="small tenants")
    parser.add_argument("--small-opportunities", type=int, default=20,
                        help="deals of each small tenant")
    parser.add_argument("--reps", type=int, default=100, help="sales reps of the large tenant")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--name", default="patron_bench_sales", help="database (file) name")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--reuse", action="store_true",
                        help="time the database seeded by an earlier run (no seeding)")
    parser.add_argument("--rounds", type=int, default=30, help="timed calls per request")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Seed (unless reusing) and time the reports on each database."""
    args = parser().parse_args(argv)
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    for kind in kinds:
        info = SeedInfo.load(kind, args.name, args.workdir) if args.reuse else seed(args, kind)
        measure(info, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
