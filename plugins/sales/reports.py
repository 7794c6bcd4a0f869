"""The forecast and the funnel, aggregated in SQL over the deals in the caller's data scope.

Each figure is one ``GROUP BY`` query whose cost does not depend on how many deals there are
beyond what the indexes leading with ``tenant_id`` (``ix_sales_opportunities_forecast``,
``…_funnel``, ``ix_sales_stage_history_opportunity``) have to read; Python only formats the
aggregated rows (one per stage, month, owner… never one per deal).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Numeric,
    Select,
    and_,
    case,
    extract,
    func,
    literal,
    or_,
    select,
    type_coerce,
)

from patron.auth.models import User
from patron.db import db
from patron.rbac.access import scoped_select
from patron_sales.models import LOST, OPEN, WON, Opportunity, Stage, StageVisit
from patron_sales.permissions import OPPORTUNITIES
from patron_sales.sql import days_between

MONEY = Numeric(18, 4)
PLACES = Decimal("0.0001")
#: What a report can be broken down by: the deal's owner, or the owner's department.
GROUPINGS = {"owner": Opportunity.owner_id, "department": User.department_id}
CLOSED = "closed"


def _money(value: Any) -> str:
    return str(Decimal(value or 0).quantize(PLACES))


def _ratio(part: Any, whole: Any) -> float | None:
    return round(part / whole, 4) if whole else None


def _days(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _deals(pipeline_id: uuid.UUID) -> Select:
    """The pipeline's deals the caller may see, with their owner (for departments)."""
    return (scoped_select(Opportunity, OPPORTUNITIES)
            .outerjoin(User, User.id == Opportunity.owner_id)
            .where(Opportunity.pipeline_id == pipeline_id))


def _keys(group_by: list[str]) -> list:
    return [GROUPINGS[name].label(f"{name}_id") for name in group_by]


# ---- forecast --------------------------------------------------------------------------------


def first_of_next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def forecast(pipeline_id: uuid.UUID, group_by: list[str], start: date | None,
             end: date | None) -> list[dict]:
    """Open and won deals by expected close month, forecast category and currency (and by
    owner and/or department): count, amount and probability-weighted amount.

    Won deals are in the ``closed`` category at their full amount; lost deals and those
    ``omitted`` from the forecast are left out. ``start``/``end`` are months (any day of them).
    """
    year = extract("year", Opportunity.expected_close_date)
    month = extract("month", Opportunity.expected_close_date)
    won = Opportunity.status == WON
    category = case((won, literal(CLOSED)), else_=Opportunity.forecast_category)
    weighted = case((won, Opportunity.amount),
                    else_=Opportunity.amount * Opportunity.probability / 100)
    keys = _keys(group_by)
    statement = (
        _deals(pipeline_id)
        .with_only_columns(
            year.label("year"), month.label("month"), *keys, category.label("category"),
            Opportunity.currency, func.count(Opportunity.id).label("count"),
            type_coerce(func.sum(Opportunity.amount), MONEY).label("amount"),
            type_coerce(func.sum(weighted), MONEY).label("weighted"),
            maintain_column_froms=True)
        .where(Opportunity.status != LOST,
               or_(won, Opportunity.forecast_category != "omitted"))
        .group_by(year, month, *keys, category, Opportunity.currency)
        .order_by(year, month, *keys, category, Opportunity.currency)
    )
    if start is not None:
        statement = statement.where(
            Opportunity.expected_close_date >= date(start.year, start.month, 1))
    if end is not None:
        statement = statement.where(Opportunity.expected_close_date < first_of_next_month(end))
    return [
        {"month": f"{int(row.year):04d}-{int(row.month):02d}" if row.year else None,
         **{key.name: getattr(row, key.name) for key in keys},
         "category": row.category, "currency": row.currency, "count": row.count,
         "amount": _money(row.amount), "weighted_amount": _money(row.weighted)}
        for row in db.session.execute(statement)
    ]


# ---- funnel ----------------------------------------------------------------------------------


def _deal_ids(pipeline_id: uuid.UUID, created: tuple[date | None, date | None]) -> Select:
    statement = _deals(pipeline_id)
    start, end = created
    if start is not None:
        statement = statement.where(Opportunity.created_at >= _midnight(start))
    if end is not None:
        statement = statement.where(Opportunity.created_at < _midnight(end + timedelta(days=1)))
    return statement


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _group_values(row, keys) -> tuple:
    return tuple(getattr(row, key.name) for key in keys)


def _reached(deals: Select, keys: list, stages: list[Stage]) -> dict[tuple, int]:
    """``(stage id, *group) -> deals that reached the stage``: one pass over the deals counts
    how many stopped furthest at each stage (kept on the deal); a stage was reached by those
    that stopped there or beyond, a sum over a handful of counted rows per group."""
    rows = db.session.execute(
        deals.with_only_columns(Opportunity.furthest_stage_id, *keys,
                                func.count(Opportunity.id).label("deals"),
                                maintain_column_froms=True)
        .group_by(Opportunity.furthest_stage_id, *keys)
    ).all()
    position = {stage.id: stage.position for stage in stages}
    reached: dict[tuple, int] = defaultdict(int)
    for row in rows:
        furthest = position.get(row.furthest_stage_id)
        for stage in stages:
            if furthest is not None and furthest >= stage.position:
                reached[(stage.id, *_group_values(row, keys))] += row.deals
    return reached


def _days_in_stage(deals: Select, keys: list) -> dict[tuple, float]:
    """``(stage id, *group) -> average days`` of the stays that have ended."""
    deal_rows = deals.with_only_columns(Opportunity.id, *keys,
                                        maintain_column_froms=True).subquery("deals")
    group = [deal_rows.c[key.name] for key in keys]
    stay = days_between(StageVisit.entered_at, StageVisit.exited_at)
    rows = db.session.execute(
        select(StageVisit.stage_id, *group, func.avg(stay).label("days"))
        .join(deal_rows, deal_rows.c.id == StageVisit.opportunity_id)
        .where(StageVisit.exited_at.is_not(None))
        .group_by(StageVisit.stage_id, *group)
    )
    return {(row.stage_id, *_group_values(row, group)): row.days for row in rows}


def _summaries(deals: Select, keys: list, currency: str) -> list:
    """Per group: deals by status, the average won deal in ``currency``, the cycle length."""
    won, lost = Opportunity.status == WON, Opportunity.status == LOST
    return db.session.execute(
        deals.with_only_columns(
            *keys,
            func.count(Opportunity.id).label("deals"),
            func.count(case((Opportunity.status == OPEN, 1))).label("open"),
            func.count(case((won, 1))).label("won"),
            func.count(case((lost, 1))).label("lost"),
            type_coerce(func.avg(case((and_(won, Opportunity.currency == currency),
                                       Opportunity.amount))), MONEY).label("deal_size"),
            func.avg(case((won, days_between(Opportunity.created_at, Opportunity.closed_at))))
            .label("cycle"),
            maintain_column_froms=True)
        .group_by(*keys)
    ).all()


def funnel(pipeline_id: uuid.UUID, group_by: list[str], currency: str,
           created: tuple[date | None, date | None]) -> list[dict]:
    """Per group (one group when not broken down): for each stage how many deals reached it,
    the conversion to the next stage and the average days spent in it; and the win rate,
    average won deal size (in ``currency``) and average cycle length in days.

    A deal *reached* a stage when it has been in that stage or any later non-lost one (a deal
    created in the third stage reached the first two); the lost stage is not a step.
    """
    keys = _keys(group_by)
    deals = _deal_ids(pipeline_id, created)
    stages = db.session.execute(
        select(Stage).where(Stage.pipeline_id == pipeline_id, Stage.kind != LOST)
        .order_by(Stage.position, Stage.id)
    ).scalars().all()
    reached_by = _reached(deals, keys, stages)
    days_by = _days_in_stage(deals, keys)
    summaries = _summaries(deals, keys, currency)
    groups = []
    for summary in summaries:
        group = _group_values(summary, keys)
        counts = [reached_by.get((stage.id, *group), 0) for stage in stages]
        groups.append({
            **{key.name: value for key, value in zip(keys, group, strict=True)},
            "deals": summary.deals, "open": summary.open, "won": summary.won,
            "lost": summary.lost, "win_rate": _ratio(summary.won, summary.won + summary.lost),
            "average_deal_size": _money(summary.deal_size) if summary.deal_size else None,
            "currency": currency, "average_cycle_days": _days(summary.cycle),
            "stages": [
                {"stage_id": stage.id, "name": stage.name, "kind": stage.kind,
                 "reached": count,
                 "conversion_to_next": _ratio(counts[index + 1], count)
                 if index + 1 < len(stages) else None,
                 "average_days": _days(days_by.get((stage.id, *group)))}
                for index, (stage, count) in enumerate(zip(stages, counts, strict=True))
            ],
        })
    return groups
