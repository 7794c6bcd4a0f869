"""The forecast's and the funnel's running totals, kept in the transaction of every deal write.

Why totals, not better indexes (measured with ``bench/sales_reports.py``, PostgreSQL 15, one
tenant with 1,000,000 deals and 2.7 million stage stays, 100 owners, on a shared 2-core
machine): the reports as plain scans took 1.1–1.5 s; the bare aggregates alone, as plain Core
with no scoping and no joins to users (the benchmark's "deals floor", a lower bound for any
design that reads the deals, covering indexes or owner and pipeline copied onto the history
included), still take 0.4–1.2 s for the forecast and 1.5–2.3 s for the funnel, because every
deal of the tenant (and every stay) has to be read whatever index serves it. Totals keyed by
what the reports group and filter on hold ~87,000 rows for those million deals and their
aggregates take 6–90 ms (forecast) and 27–46 ms (funnel); the price is a few indexed
statements per deal write (reading the deal's share before and after, one row updated per
changed key).

What is kept (models in :mod:`patron_sales.models.reporting`), per pipeline and owner (so the
caller's data scope, a condition on the owner, still applies to them):

* :class:`~patron_sales.models.reporting.ForecastTotal`: by close month, category and currency;
* :class:`~patron_sales.models.reporting.FunnelTotal`: by month opened, furthest stage, status and
  currency;
* :class:`~patron_sales.models.reporting.StageTimeTotal`: ended stays by month opened and stage.

Each is defined once, as an aggregate over the deals (:data:`TOTALS`' ``source``): the same
query fills the tables for every tenant (the migration's backfill, :func:`rebuild`), computes
one deal's share before and after a write (:func:`tracked`, whose difference is added to the
totals), and covers the part of a report the totals cannot (the days of a partial month in
a funnel's "opened between" filter, :mod:`patron_sales.services.reports`).

Rows are found by their key and changed by id; two transactions that add the same new key at
once each insert a row, which is harmless: every reader sums the rows of a key. A key whose
deals all left keeps a row of zeros (readers leave those out); :func:`rebuild` compacts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, literal, or_, select, type_coerce
from sqlalchemy.sql import ColumnElement, Select

from patron.sdk import db, new_id, require_tenant_id, tenants_in_turn
from patron_sales.models.deals import LOST, WON, Opportunity, StageVisit
from patron_sales.models.reporting import (
    TOTAL,
    WEIGHTED,
    ForecastTotal,
    FunnelTotal,
    StageTimeTotal,
)
from patron_sales.services.sql_dates import days_between, month_index

CLOSED = "closed"
BATCH = 5000


def _deal_keys() -> list:
    return [Opportunity.tenant_id, Opportunity.pipeline_id, Opportunity.owner_id]


def forecast_source(*criteria: ColumnElement[bool]) -> Select:
    """The forecast's totals of the deals matching ``criteria`` (won deals count in full as
    ``closed``; lost ones, and open ones omitted from the forecast, not at all)."""
    won = Opportunity.status == WON
    category = case((won, literal(CLOSED)), else_=Opportunity.forecast_category)
    weighted = case((won, Opportunity.amount),
                    else_=Opportunity.amount * Opportunity.probability / 100)
    keys = [*_deal_keys(), month_index(Opportunity.expected_close_date).label("close_month"),
            category.label("category"), Opportunity.currency]
    return (select(*keys, func.count().label("deals"),
                   type_coerce(func.sum(Opportunity.amount), TOTAL).label("amount"),
                   type_coerce(func.sum(weighted), WEIGHTED).label("weighted"))
            .where(Opportunity.status != LOST,
                   or_(won, Opportunity.forecast_category != "omitted"), *criteria)
            .group_by(*keys))


def funnel_source(*criteria: ColumnElement[bool]) -> Select:
    """The funnel's deal totals of the deals matching ``criteria``."""
    won = Opportunity.status == WON
    keys = [*_deal_keys(), month_index(Opportunity.created_at).label("created_month"),
            Opportunity.furthest_stage_id, Opportunity.status, Opportunity.currency]
    cycle = case((won, days_between(Opportunity.created_at, Opportunity.closed_at)), else_=0.0)
    return (select(*keys, func.count().label("deals"),
                   type_coerce(func.sum(Opportunity.amount), TOTAL).label("amount"),
                   func.coalesce(func.sum(cycle), 0.0).label("cycle_days"))
            .where(*criteria)
            .group_by(*keys))


def stage_time_source(*criteria: ColumnElement[bool]) -> Select:
    """The ended stays in each stage of the deals matching ``criteria``."""
    keys = [*_deal_keys(), month_index(Opportunity.created_at).label("created_month"),
            StageVisit.stage_id]
    return (select(*keys, func.count().label("stays"),
                   func.sum(days_between(StageVisit.entered_at, StageVisit.exited_at))
                   .label("days"))
            .select_from(Opportunity)
            .join(StageVisit, (StageVisit.tenant_id == Opportunity.tenant_id)
                  & (StageVisit.opportunity_id == Opportunity.id))
            .where(StageVisit.exited_at.is_not(None), *criteria)
            .group_by(*keys))


@dataclass(frozen=True)
class Totals:
    """One totals table: its model, the query that computes it, its key and its sums."""

    model: type
    source: Callable[..., Select]
    keys: tuple[str, ...]
    measures: tuple[str, ...]

    def columns(self) -> tuple[str, ...]:
        """The columns the source yields, in order (``tenant_id`` first)."""
        return ("tenant_id", *self.keys, *self.measures)


FORECAST = Totals(ForecastTotal, forecast_source,
                  ("pipeline_id", "owner_id", "close_month", "category", "currency"),
                  ("deals", "amount", "weighted"))
FUNNEL = Totals(FunnelTotal, funnel_source,
                ("pipeline_id", "owner_id", "created_month", "furthest_stage_id", "status",
                 "currency"),
                ("deals", "amount", "cycle_days"))
STAGE_TIME = Totals(StageTimeTotal, stage_time_source,
                    ("pipeline_id", "owner_id", "created_month", "stage_id"),
                    ("stays", "days"))
TOTALS = (FORECAST, FUNNEL, STAGE_TIME)

#: ``{totals: {key: measures}}``: a deal's share of every table.
Shares = dict[Totals, dict[tuple, tuple]]


def _zero(value: Any) -> bool:
    return value == 0 or (isinstance(value, float) and abs(value) < 1e-9)


def deal_shares(opportunity_id: uuid.UUID) -> Shares:
    """What the deal ``opportunity_id`` (as flushed) adds to each totals table."""
    shares: Shares = {}
    for totals in TOTALS:
        rows = db.session.execute(totals.source(Opportunity.id == opportunity_id)).all()
        width = len(totals.keys)
        shares[totals] = {tuple(row[1:1 + width]): tuple(row[1 + width:]) for row in rows}
    return shares


def _add(totals: Totals, key: tuple, delta: tuple) -> None:
    """Add ``delta`` to one row of ``key`` (made when there is none)."""
    model = totals.model
    where = [getattr(model, name).is_(None) if value is None else getattr(model, name) == value
             for name, value in zip(totals.keys, key, strict=True)]
    row_id = db.session.execute(select(model.id).where(*where).limit(1)).scalar()
    if row_id is None:
        db.session.execute(insert(model), [{
            "tenant_id": require_tenant_id(), "id": new_id(),
            **dict(zip(totals.keys, key, strict=True)),
            **dict(zip(totals.measures, delta, strict=True))}])
        return
    db.session.execute(
        model.__table__.update()
        .where(model.__table__.c.tenant_id == require_tenant_id(),
               model.__table__.c.id == row_id)
        .values({name: getattr(model.__table__.c, name) + value
                 for name, value in zip(totals.measures, delta, strict=True)}))


def apply_change(before: Shares, after: Shares) -> None:
    """Move the totals from a deal's share ``before`` a write to its share ``after`` it."""
    for totals in TOTALS:
        old, new = before.get(totals, {}), after.get(totals, {})
        zeros = (0,) * len(totals.measures)
        for key in dict.fromkeys([*old, *new]):
            delta = tuple(_difference(a, b) for a, b in
                          zip(new.get(key, zeros), old.get(key, zeros), strict=True))
            if not all(_zero(value) for value in delta):
                _add(totals, key, delta)


def _difference(after: Any, before: Any) -> Any:
    if isinstance(after, Decimal) or isinstance(before, Decimal):
        return Decimal(after or 0) - Decimal(before or 0)
    return (after or 0) - (before or 0)


@contextmanager
def tracked(opportunity: Opportunity, *, new: bool = False) -> Iterator[None]:
    """Keep the totals in step with whatever the block does to ``opportunity`` (``new``: it
    is not in the database yet). The block must not nest another one for the same deal."""
    before = {} if new else deal_shares(opportunity.id)
    yield
    db.session.flush()
    apply_change(before, deal_shares(opportunity.id))


def rebuild(connection: Connection, tenant_id: uuid.UUID | None = None) -> int:
    """Recompute every totals table from the deals, of one tenant or (``None``: the
    migration's backfill, run as the table owner) all of them; returns the rows written."""
    written = 0
    for totals in TOTALS:
        table = totals.model.__table__
        criteria = [] if tenant_id is None else [Opportunity.tenant_id == tenant_id]
        cleared = delete(table)
        if tenant_id is not None:
            cleared = cleared.where(table.c.tenant_id == tenant_id)
        connection.execute(cleared)
        rows = connection.execute(totals.source(*criteria)).all()
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(table), [
                {"id": new_id(), **dict(zip(totals.columns(), row, strict=True))}
                for row in rows[start:start + BATCH]])
        written += len(rows)
    return written


def backfill(connection: Connection) -> int:
    """Fill the totals of every tenant from its deals (the migration that adds them). On
    PostgreSQL one tenant at a time, each under its own row-level-security setting, so the
    migration role need not bypass the policies; returns the rows written."""
    if connection.dialect.name != "postgresql":
        return rebuild(connection)
    return sum(rebuild(connection, tenant_id) for tenant_id in tenants_in_turn(connection))
