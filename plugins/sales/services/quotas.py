"""Sales quotas (what a user should win per month and currency) and their attainment.

Attainment is one SQL query: the quotas in the caller's scope, outer-joined to the won
amounts of the same owner, month (of ``closed_at``) and currency, summed in a subquery.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Numeric, exists, extract, func, select, type_coerce

from patron.sdk import Rules, User, ValidationFailed, db, scoped_select
from patron_sales.models.deals import WON, Opportunity
from patron_sales.models.reporting import Quota
from patron_sales.permissions import OPPORTUNITIES, QUOTAS
from patron_sales.services.pricing import in_tenant_currency
from patron_sales.services.reports import first_of_next_month

MONEY = Numeric(18, 4)
PLACES = Decimal("0.0001")


def _check(data: dict, quota: Quota | None) -> None:
    if "owner_id" in data and not db.session.execute(select(exists().where(
            User.id == data["owner_id"]))).scalar():
        raise ValidationFailed({"user_id": ["No such user."]})
    if "period_start" in data:
        data["period_start"] = data["period_start"].replace(day=1)


#: A user's (default: the caller's) quota for a month, stored as the month's first day, in
#: the tenant's currency unless given.
QUOTA_RULES = Rules(Quota, check=_check, defaults=in_tenant_currency)


def _month_start(day: date) -> datetime:
    """The first moment (UTC) of ``day``'s month: closed_at's month is taken in UTC."""
    return datetime(day.year, day.month, 1, tzinfo=UTC)


def attainment(start: date | None, end: date | None,
               owner_id: uuid.UUID | None = None) -> list[dict]:
    """Each quota in scope (months ``start``..``end``; of ``owner_id`` only, if given) with
    what its user won that month. The won deals are read for those months and that owner
    only, so a month's attainment costs that month's deals, not the tenant's history."""
    year, month = extract("year", Opportunity.closed_at), extract("month", Opportunity.closed_at)
    won = (
        scoped_select(Opportunity, OPPORTUNITIES)
        .with_only_columns(Opportunity.owner_id, year.label("year"), month.label("month"),
                           Opportunity.currency,
                           type_coerce(func.sum(Opportunity.amount), MONEY).label("won"),
                           func.count().label("deals"),
                           maintain_column_froms=True)
        .where(Opportunity.status == WON)
        .group_by(Opportunity.owner_id, year, month, Opportunity.currency)
    )
    if start is not None:
        won = won.where(Opportunity.closed_at >= _month_start(start))
    if end is not None:
        won = won.where(Opportunity.closed_at < _month_start(first_of_next_month(end)))
    if owner_id is not None:
        won = won.where(Opportunity.owner_id == owner_id)
    won = won.subquery("won")
    statement = (
        scoped_select(Quota, QUOTAS)
        .with_only_columns(Quota.id, Quota.owner_id, Quota.period_start, Quota.amount,
                           Quota.currency, won.c.won, won.c.deals, maintain_column_froms=True)
        .outerjoin(won, (won.c.owner_id == Quota.owner_id)
                   & (won.c.year == extract("year", Quota.period_start))
                   & (won.c.month == extract("month", Quota.period_start))
                   & (won.c.currency == Quota.currency))
        .order_by(Quota.period_start, Quota.owner_id, Quota.currency)
    )
    if start is not None:
        statement = statement.where(Quota.period_start >= start.replace(day=1))
    if end is not None:
        statement = statement.where(Quota.period_start <= end.replace(day=1))
    if owner_id is not None:
        statement = statement.where(Quota.owner_id == owner_id)
    return [
        {"quota_id": row.id, "user_id": row.owner_id,
         "month": row.period_start.strftime("%Y-%m"), "currency": row.currency,
         "quota": str(Decimal(row.amount).quantize(PLACES)),
         "won": str(Decimal(row.won or 0).quantize(PLACES)), "deals": row.deals or 0,
         "attainment": round(float(Decimal(row.won or 0) / row.amount), 4) if row.amount
         else None}
        for row in db.session.execute(statement)
    ]
