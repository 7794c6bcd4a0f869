"""Benchmark: a sales rep's home page in a tenant with a million contacts and a million deals.

    .venv/bin/python bench/home_dashboard.py [--opportunities 1000000] [--database postgresql]
        [--reuse] [--rounds 40]

Seeds (unless ``--reuse``) the large sales tenant of ``bench/sales_reports.py`` (its deals,
their stage history, accounts at five deals each, ``--reps`` reps with a skewed share), then
five contacts per account (a million at the default size) and one activity per ten contacts,
due from ten months back to two months ahead (a tenth of them today), so that every widget has
real rows to find: the rep's tasks due today and overdue, their open deals by stage, their
stalled deals (a stage with a limit), their quota of this month.

Then times, in-process (Flask test client, signed in through the login form as the rep with
the most deals, the largest home page, and as the median rep), ``GET /`` ``--rounds`` times,
interleaved with a floor measured in the same run: the widgets' own statements as plain
SQLAlchemy Core on the table owner's connection (explicit ``tenant_id`` and owner, no
scoping, no templates). Prints p50 and p95 in milliseconds and the ratios; the target is a
p95 under 150 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from benchdb import PASSWORD, SeedInfo
from sales_reports import parser as sales_parser
from sales_reports import percentile, seed, timed
from seed import Names, Seeder, activity_rows, analyze, contact_rows
from sqlalchemy import case, create_engine, func, select, update

from patron.customers.models import Account, Activity, Contact
from patron.db import new_id
from patron_sales.models.deals import OPEN, Opportunity, Stage
from patron_sales.models.reporting import Quota

CONTACTS_PER_ACCOUNT = 5
CONTACTS_PER_ACTIVITY = 10


def add_people(info: SeedInfo, args) -> None:
    """Contacts at every account of the large tenant and activities for them, bulk-inserted
    as the table owner; a stage limit (so deals stall) and a quota for every rep."""
    engine = create_engine(info.admin_url)
    rng = random.Random(args.seed)
    names = Names(rng)
    now = datetime.now(UTC)
    with engine.connect() as connection:
        from patron.tenancy.models import Tenant

        tenant_id = connection.execute(
            select(Tenant.id).where(Tenant.slug == info.tenant)).scalar_one()
        accounts = connection.execute(select(Account.id, Account.owner_id).where(
            Account.tenant_id == tenant_id)).all()
    seeder = Seeder(engine, tenant_id, args.batch_size)
    started = time.perf_counter()
    owners = {account_id: owner for account_id, owner in accounts}
    seeder.insert("contacts", Contact.__table__, (
        {**row, "owner_id": owners[row["account_id"]]} for row in contact_rows(
            tenant_id, [(a, f"a{i}.example.com") for i, (a, _) in enumerate(accounts)],
            CONTACTS_PER_ACCOUNT, names, lambda: None, rng, now)))
    with engine.connect() as connection:
        people = connection.execute(select(Contact.id, Contact.account_id, Contact.owner_id)
                                    .where(Contact.tenant_id == tenant_id)).all()
    chosen = people[::CONTACTS_PER_ACTIVITY]
    owner_of = {contact_id: owner for contact_id, _, owner in chosen}
    seeder.insert("activities", Activity.__table__, (
        {**row, "owner_id": owner_of[row["contact_id"]],
         "due_at": now + timedelta(hours=rng.randrange(-2, 8)) if rng.random() < 0.1
         else row["due_at"]}
        for row in activity_rows(tenant_id, [(c, a) for c, a, _ in chosen], names,
                                 lambda: None, rng, now)))
    with engine.begin() as connection:
        connection.execute(update(Stage).where(Stage.tenant_id == tenant_id,
                                               Stage.kind == OPEN).values(stalled_after_days=30))
        connection.execute(update(Opportunity).where(
            Opportunity.tenant_id == tenant_id, Opportunity.status == OPEN,
            Opportunity.stage_entered_at < now - timedelta(days=30)).values(stalled_at=now))
        reps = connection.execute(select(Opportunity.owner_id).where(
            Opportunity.tenant_id == tenant_id).distinct()).scalars().all()
        month = now.date().replace(day=1)
        connection.execute(Quota.__table__.insert(), [
            {"tenant_id": tenant_id, "id": new_id(), "owner_id": rep, "period_start": month,
             "amount": 50_000, "currency": "USD", "created_at": now, "updated_at": now,
             "version": 1} for rep in reps])
    for table, rows in seeder.rows.items():
        print(f"  {table:24} {rows:>10,} rows  {seeder.seconds[table]:7.1f} s", flush=True)
    print(f"  people and work: {time.perf_counter() - started:.1f} s", flush=True)
    analyze(engine)
    engine.dispose()


def floor_statements(tenant_id, user_id, now: datetime) -> tuple:
    """The widgets' statements as plain Core: what the database must do for the page."""
    end_of_today = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    tasks = (Activity.tenant_id == tenant_id, Activity.owner_id == user_id,
             Activity.status == "open", Activity.due_at < end_of_today)
    mine = (Opportunity.tenant_id == tenant_id, Opportunity.owner_id == user_id,
            Opportunity.status == OPEN)
    return (
        select(Activity).where(*tasks).order_by(Activity.due_at, Activity.id).limit(8),
        select(func.count(Activity.id), func.count(case((Activity.due_at < now, 1))))
        .where(*tasks),
        select(Opportunity.stage_id, Opportunity.currency, func.count(),
               func.sum(Opportunity.amount)).where(*mine)
        .group_by(Opportunity.stage_id, Opportunity.currency),
        select(func.count()).select_from(Opportunity).where(
            *mine, Opportunity.stalled_at.is_not(None)),
        select(Opportunity).where(*mine, Opportunity.stalled_at.is_not(None))
        .order_by(Opportunity.stalled_at, Opportunity.id).limit(5),
        select(Quota).where(Quota.tenant_id == tenant_id, Quota.owner_id == user_id,
                            Quota.period_start == now.date().replace(day=1)),
    )


def measure(info: SeedInfo, rounds: int, rep: str = "busiest") -> None:
    """Time a rep's home page (``rep``: the one with the most deals, or the median one)
    against its floor, interleaved; print p50/p95 and ratios."""
    from inprocess import patron_app

    from patron.auth.models import User
    from patron.rbac.models import Role
    from patron.tenancy.models import Tenant
    from patron.testing.fixtures import csrf_token_from

    app = patron_app(info)
    engine = create_engine(info.admin_url)
    with engine.connect() as connection:
        tenant_id = connection.execute(
            select(Tenant.id).where(Tenant.slug == info.tenant)).scalar_one()
        # The reps only: the seeding's skew gives the admin (a manager, whose page adds the
        # team's month) a share of its own.
        reps = select(User.id).join(Role, Role.id == User.role_id).where(
            User.tenant_id == tenant_id, Role.key == "sales_rep")
        owners = connection.execute(
            select(Opportunity.owner_id, func.count(Opportunity.id)).where(
                Opportunity.tenant_id == tenant_id, Opportunity.owner_id.in_(reps))
            .group_by(Opportunity.owner_id).order_by(func.count(Opportunity.id).desc())).all()
        busiest, deals = owners[0] if rep == "busiest" else owners[len(owners) // 2]
        email = connection.execute(select(User.email).where(User.id == busiest)).scalar_one()
        counts = {model.__tablename__: connection.execute(
            select(func.count()).select_from(model).where(model.tenant_id == tenant_id)
        ).scalar_one() for model in (Contact, Opportunity, Activity)}
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    signed = client.post("/login", data={"csrf_token": token, "tenant": info.tenant,
                                         "email": email, "password": PASSWORD})
    assert signed.status_code == 302, signed.get_data(as_text=True)[:500]

    def page() -> None:
        response = client.get("/")
        assert response.status_code == 200 and "widget-sales-pipeline" in response.get_data(
            as_text=True)

    statements = floor_statements(tenant_id, busiest, datetime.now(UTC))

    def floor() -> None:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(statement).all()

    calls = {"patron": page, "floor": floor}
    for call in calls.values():  # warm up
        call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            samples[name].append(timed(call))
    ours, theirs = samples["patron"], samples["floor"]
    print(f"\n{info.kind} database {info.name}: {counts['contacts']:,} contacts, "
          f"{counts['sales_opportunities']:,} deals, {counts['activities']:,} activities in "
          f"the large tenant; the {rep} rep ({deals:,} deals); {rounds} rounds, "
          "interleaved with the floor")
    print("  floor = the widgets' statements as plain Core on the owner's connection")
    print(f"  {'measured':10} {'p50 ms':>9} {'p95 ms':>9}")
    for name, values in samples.items():
        print(f"  {name:10} {percentile(values, 50):9.1f} {percentile(values, 95):9.1f}")
    print(f"  ours/floor: p50 {percentile(ours, 50) / percentile(theirs, 50):.2f}x, "
          f"p95 {percentile(ours, 95) / percentile(theirs, 95):.2f}x; target p95 < 150 ms: "
          f"{'met' if percentile(ours, 95) < 150 else 'NOT met'}", flush=True)
    engine.dispose()


def parser() -> argparse.ArgumentParser:
    """The command line: ``bench/sales_reports.py``'s, another database name by default."""
    parser = sales_parser()
    parser.description = __doc__.splitlines()[0]
    parser.set_defaults(name="patron_bench_home", database="postgresql", tenants=20,
                        rounds=40)
    parser.add_argument("--rep", choices=("busiest", "median", "both"), default="both",
                        help="whose home page: the rep with the most deals, the median one")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Seed (unless reusing) and time the home page on each database."""
    args = parser().parse_args(argv)
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    for kind in kinds:
        if args.reuse:
            info = SeedInfo.load(kind, args.name, args.workdir)
        else:
            info = seed(args, kind)
            add_people(info, args)
        for rep in (("busiest", "median") if args.rep == "both" else (args.rep,)):
            measure(info, args.rounds, rep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
