"""The forecast and the funnel, aggregated in SQL over the deals in the caller's data scope.

Both read the running totals of :mod:`patron_sales.services.report_totals` (a few thousand rows per
pipeline whatever the number of deals), limited to the caller's data scope by their
``owner_id`` like the deals themselves. A funnel of deals opened between two days that are not
month boundaries adds the deals of the partial months at its ends, aggregated from the deals
by the same query that makes the totals (through ``ix_sales_opportunities_funnel``), in one
``UNION ALL`` with the totals: such a funnel costs what reading those days' deals and their
history costs (about 0.4 s for eleven days of a 1,000,000-deal tenant on PostgreSQL, see
``bench/RESULTS.md``); the forecast page asks for whole months. Python only divides and
formats the aggregated rows (one per stage, month, owner… never one per deal).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    Subquery,
    and_,
    case,
    cast,
    func,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql import ColumnElement

from patron.sdk import User, db, hidden_fields, scoped_select
from patron_sales.models.deals import LOST, OPEN, WON, Opportunity, Stage
from patron_sales.models.reporting import TOTAL, WEIGHTED
from patron_sales.permissions import OPPORTUNITIES
from patron_sales.services.report_totals import FORECAST, FUNNEL, STAGE_TIME, Totals
from patron_sales.services.sql_dates import month_number, month_start

PLACES = Decimal("0.0001")


def _money(value: Any) -> str:
    return str(Decimal(value or 0).quantize(PLACES))


def _ratio(part: Any, whole: Any) -> float | None:
    return round(part / whole, 4) if whole else None


def _days(total: Any, count: Any) -> float | None:
    return round(float(total) / count, 2) if count else None


def _count(column) -> Any:
    """The sum of a count column, as an integer on every database (PostgreSQL sums a bigint
    to a numeric)."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def _keys(owner_column, group_by: list[str]) -> list:
    """The group columns named by ``group_by`` (the department is the owner's)."""
    columns = {"owner": owner_column, "department": User.department_id}
    return [columns[name].label(f"{name}_id") for name in group_by]


def _owners(statement: Select, owner_column, keys: list) -> Select:
    """``statement`` joined to the owners when it is broken down by department."""
    if any(key.name == "department_id" for key in keys):
        return statement.outerjoin(User, User.id == owner_column)
    return statement


def _group_values(row, keys) -> tuple:
    return tuple(getattr(row, key.name) for key in keys)


# ---- forecast --------------------------------------------------------------------------------


def _month_label(number: int | None) -> str | None:
    """``YYYY-MM`` of a :func:`~patron_sales.services.sql_dates.month_number`."""
    return None if number is None else f"{number // 12:04d}-{number % 12 + 1:02d}"


def first_of_next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def amounts_visible() -> bool:
    """Whether the signed-in user may see deal amounts. Where a role hides the amount of
    opportunities, every figure made of amounts (board totals, the forecast's amount and
    weighted amount, the average won deal) is left out, and not computed: a sum would tell
    what the field hides."""
    return "amount" not in hidden_fields("opportunity")


def forecast(pipeline_id: uuid.UUID, group_by: list[str], start: date | None,
             end: date | None) -> list[dict]:
    """Open and won deals by expected close month, forecast category and currency (and by
    owner and/or department): count, amount and probability-weighted amount (the amounts
    only for users who may see them, :func:`amounts_visible`).

    Won deals are in the ``closed`` category at their full amount; lost deals and those
    ``omitted`` from the forecast are left out. ``start``/``end`` are months (any day of them).
    """
    total = FORECAST.model
    keys = _keys(total.owner_id, group_by)
    groups = [total.close_month, *keys, total.category, total.currency]
    amounts = amounts_visible()
    sums = [type_coerce(func.sum(total.amount), TOTAL).label("amount"),
            type_coerce(func.sum(total.weighted), WEIGHTED).label("weighted")] if amounts else []
    statement = (
        _owners(scoped_select(total, OPPORTUNITIES)
                .with_only_columns(*groups, _count(total.deals).label("count"), *sums,
                                   maintain_column_froms=True),
                total.owner_id, keys)
        .where(total.pipeline_id == pipeline_id)
        .group_by(*groups).having(func.sum(total.deals) > 0)
        .order_by(*groups)
    )
    if start is not None:
        statement = statement.where(total.close_month >= month_number(start))
    if end is not None:
        statement = statement.where(total.close_month <= month_number(end))
    return [
        {"month": _month_label(row.close_month),
         **{key.name: getattr(row, key.name) for key in keys},
         "category": row.category, "currency": row.currency, "count": row.count,
         **({"amount": _money(row.amount), "weighted_amount": _money(row.weighted)}
            if amounts else {})}
        for row in db.session.execute(statement)
    ]


# ---- funnel ----------------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _last_day(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def _opened(created: tuple[date | None, date | None]
            ) -> tuple[tuple[int | None, int | None] | None, list[tuple]]:
    """Split "opened from ``start`` to ``end``" (days, both included, either open) into the
    whole months the totals answer (first and last month number, ``None`` if there are none)
    and the ``[from, to)`` times of the partial months read from the deals."""
    start, end = created
    first = None if start is None else month_number(start) + (start.day != 1)
    last = None if end is None else month_number(end) - (not _last_day(end))
    lower = None if start is None else _midnight(start)
    upper = None if end is None else _midnight(end + timedelta(days=1))
    if first is not None and last is not None and first > last:
        return None, [(lower, upper)]
    partial = []
    if start is not None and start.day != 1:
        partial.append((lower, _midnight(month_start(first))))
    if end is not None and not _last_day(end):
        partial.append((_midnight(month_start(last + 1)), upper))
    return (first, last), partial


def _cells(totals: Totals, pipeline_id: uuid.UUID,
           created: tuple[date | None, date | None]) -> Subquery:
    """The rows of ``totals`` for the pipeline's deals in scope opened in ``created``: the
    stored totals of the whole months and those of the partial ones, computed from the
    deals."""
    model = totals.model
    months, partial = _opened(created)
    parts: list[Select] = []
    if months is not None:
        stored = (scoped_select(model, OPPORTUNITIES)
                  .with_only_columns(*(getattr(model, name) for name in totals.columns()))
                  .where(model.pipeline_id == pipeline_id))
        first, last = months
        if first is not None:
            stored = stored.where(model.created_month >= first)
        if last is not None:
            stored = stored.where(model.created_month <= last)
        parts.append(stored)
    scope = scoped_select(Opportunity, OPPORTUNITIES).whereclause
    for lower, upper in partial:
        criteria: list[ColumnElement[bool]] = [Opportunity.pipeline_id == pipeline_id]
        if scope is not None:
            criteria.append(scope)
        if lower is not None:
            criteria.append(Opportunity.created_at >= lower)
        if upper is not None:
            criteria.append(Opportunity.created_at < upper)
        parts.append(totals.source(*criteria))
    return union_all(*parts).subquery(totals.model.__tablename__)


def _reached(cells: Subquery, keys: list, stages: list[Stage]) -> dict[tuple, int]:
    """``(stage id, *group) -> deals that reached the stage``: the deals are counted by the
    furthest stage they reached; a stage was reached by those that stopped there or beyond,
    a sum over a handful of counted rows per group."""
    rows = db.session.execute(_owners(
        select(cells.c.furthest_stage_id, *keys, _count(cells.c.deals).label("deals"))
        .select_from(cells), cells.c.owner_id, keys)
        .group_by(cells.c.furthest_stage_id, *keys)
    ).all()
    position = {stage.id: stage.position for stage in stages}
    reached: dict[tuple, int] = defaultdict(int)
    for row in rows:
        furthest = position.get(row.furthest_stage_id)
        for stage in stages:
            if furthest is not None and furthest >= stage.position:
                reached[(stage.id, *_group_values(row, keys))] += row.deals
    return reached


def _days_in_stage(cells: Subquery, keys: list) -> dict[tuple, float | None]:
    """``(stage id, *group) -> average days`` of the stays that have ended."""
    rows = db.session.execute(_owners(
        select(cells.c.stage_id, *keys, _count(cells.c.stays).label("stays"),
               func.sum(cells.c.days).label("days"))
        .select_from(cells), cells.c.owner_id, keys)
        .group_by(cells.c.stage_id, *keys)
    )
    return {(row.stage_id, *_group_values(row, keys)): _days(row.days, row.stays)
            for row in rows}


def _summaries(cells: Subquery, keys: list, currency: str, amounts: bool) -> list:
    """Per group: deals by status, the won deals in ``currency`` and (if ``amounts``) their
    amount, the won deals' days from opening to winning."""
    status = cells.c.status
    won, in_currency = status == WON, and_(status == WON, cells.c.currency == currency)

    def deals(condition) -> Any:
        return _count(case((condition, cells.c.deals), else_=0))

    statement = _owners(
        select(*keys, _count(cells.c.deals).label("deals"),
               deals(status == OPEN).label("open"), deals(won).label("won"),
               deals(status == LOST).label("lost"),
               deals(in_currency).label("won_in_currency"),
               *([type_coerce(func.sum(case((in_currency, cells.c.amount))), TOTAL)
                  .label("won_amount")] if amounts else []),
               func.sum(case((won, cells.c.cycle_days))).label("cycle_days"))
        .select_from(cells), cells.c.owner_id, keys)
    if keys:
        statement = statement.group_by(*keys).having(func.sum(cells.c.deals) > 0)
    return db.session.execute(statement).all()


def funnel(pipeline_id: uuid.UUID, group_by: list[str], currency: str,
           created: tuple[date | None, date | None]) -> list[dict]:
    """Per group (one group when not broken down): for each stage how many deals reached it,
    the conversion to the next stage and the average days spent in it; and the win rate,
    average won deal size (in ``currency``) and average cycle length in days.

    A deal *reached* a stage when it has been in that stage or any later non-lost one (a deal
    created in the third stage reached the first two); the lost stage is not a step.
    """
    deals = _cells(FUNNEL, pipeline_id, created)
    stays = _cells(STAGE_TIME, pipeline_id, created)
    stages = db.session.execute(
        select(Stage).where(Stage.pipeline_id == pipeline_id, Stage.kind != LOST)
        .order_by(Stage.position, Stage.id)
    ).scalars().all()
    reached_by = _reached(deals, _keys(deals.c.owner_id, group_by), stages)
    days_by = _days_in_stage(stays, _keys(stays.c.owner_id, group_by))
    keys = _keys(deals.c.owner_id, group_by)
    groups = []
    amounts = amounts_visible()
    for summary in _summaries(deals, keys, currency, amounts):
        group = _group_values(summary, keys)
        counts = [reached_by.get((stage.id, *group), 0) for stage in stages]
        size = (Decimal(summary.won_amount) / summary.won_in_currency
                if amounts and summary.won_in_currency else None)
        groups.append({
            **{key.name: value for key, value in zip(keys, group, strict=True)},
            "deals": summary.deals, "open": summary.open, "won": summary.won,
            "lost": summary.lost, "win_rate": _ratio(summary.won, summary.won + summary.lost),
            **({"average_deal_size": _money(size) if size else None} if amounts else {}),
            "currency": currency,
            "average_cycle_days": _days(summary.cycle_days, summary.won),
            "stages": [
                {"stage_id": stage.id, "name": stage.name, "kind": stage.kind,
                 "reached": count,
                 "conversion_to_next": _ratio(counts[index + 1], count)
                 if index + 1 < len(stages) else None,
                 "average_days": days_by.get((stage.id, *group))}
                for index, (stage, count) in enumerate(zip(stages, counts, strict=True))
            ],
        })
    return groups
