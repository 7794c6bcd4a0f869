"""Daily, weekly and monthly summaries of each rep's work, e-mailed to their manager.

The ``sales.team_reports`` job runs every hour. For each kind of period, the last one that
has ended in the tenant's time zone (yesterday; last Monday to Sunday; last month) is
reported once: a :class:`~patron_sales.models.reporting.TeamReportRun` row claims it first
(unique per tenant, kind and start), so neither a second worker nor a rerun mails it twice.
Every manager with direct reports gets one mail per period listing each of them: activities
logged, deals moved to another stage, deals won and lost, orders. The figures come from one
GROUP BY query each, whatever the size of the team, and the mail goes through the outbox
(``queue_mail`` of :mod:`patron.sdk`), sent by the worker over SMTP. Nothing is queued while
no mail server is configured, and the period is then left unclaimed.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import force_locale, format_currency, format_date
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from patron.sdk import (
    Activity,
    Tenant,
    User,
    db,
    mail_enabled,
    queue_mail,
    require_tenant_id,
    utcnow,
)
from patron_sales.models.commerce import Order
from patron_sales.models.deals import LOST, WON, Opportunity, StageVisit
from patron_sales.models.reporting import TeamReportRun

DAILY, WEEKLY, MONTHLY = "daily", "weekly", "monthly"
PERIODS = (DAILY, WEEKLY, MONTHLY)


@dataclass(frozen=True)
class Period:
    """A span of whole days in the tenant's time zone: ``[start, end)``."""

    kind: str
    start: date
    end: date

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The span as aware datetimes (midnight to midnight, local)."""
        return (datetime.combine(self.start, time(), zone),
                datetime.combine(self.end, time(), zone))


def last_ended(kind: str, today: date) -> Period:
    """The last period of ``kind`` that ended before ``today`` began."""
    if kind == DAILY:
        return Period(kind, today - timedelta(days=1), today)
    if kind == WEEKLY:
        monday = today - timedelta(days=today.weekday())
        return Period(kind, monday - timedelta(days=7), monday)
    first = today.replace(day=1)
    return Period(kind, (first - timedelta(days=1)).replace(day=1), first)


@dataclass
class RepFigures:
    """What one rep did in a period; amounts per currency."""

    activities: int = 0
    moved: int = 0
    won: int = 0
    lost: int = 0
    orders: int = 0
    won_amounts: dict[str, Decimal] = field(default_factory=dict)
    order_amounts: dict[str, Decimal] = field(default_factory=dict)


def send_team_reports(now: datetime | None = None) -> int:
    """The job: mail every period that has ended and was not mailed yet; returns how many
    periods were mailed."""
    if not mail_enabled():
        return 0
    tenant = db.session.get(Tenant, require_tenant_id())
    zone = ZoneInfo(tenant.timezone or "UTC")
    today = (now or utcnow()).astimezone(zone).date()
    mailed = 0
    for kind in PERIODS:
        period = last_ended(kind, today)
        if _claim(period):
            mail_period(period, zone)
            mailed += 1
    return mailed


def _claim(period: Period) -> bool:
    """Record that ``period`` is being mailed; False if it already was."""
    try:
        with db.session.begin_nested():
            db.session.add(TeamReportRun(period=period.kind, period_start=period.start,
                                         sent_at=utcnow()))
    except IntegrityError:
        return False
    return True


def mail_period(period: Period, zone: ZoneInfo) -> None:
    """Queue one summary of ``period`` to every manager with active direct reports."""
    reps = db.session.execute(
        select(User).where(User.manager_id.is_not(None), User.is_active.is_(True))
        .order_by(User.name)
    ).scalars().all()
    if not reps:
        return
    managers = {user.id: user for user in db.session.execute(
        select(User).where(User.id.in_({rep.manager_id for rep in reps}),
                           User.is_active.is_(True))).scalars()}
    figures = team_figures([rep.id for rep in reps], *period.bounds(zone))
    teams: dict[uuid.UUID, list[User]] = defaultdict(list)
    for rep in reps:
        if rep.manager_id in managers:
            teams[rep.manager_id].append(rep)
    for manager_id, team in teams.items():
        manager = managers[manager_id]
        with force_locale(manager.locale or "en"):
            queue_mail(manager.email, _subject(period), _body(manager, team, figures, period),
                       kind=f"sales.team_report.{period.kind}")


def team_figures(rep_ids: list[uuid.UUID], start: datetime,
                 end: datetime) -> dict[uuid.UUID, RepFigures]:
    """Each rep's figures for ``[start, end)``, in four queries whatever the team size."""
    figures: dict[uuid.UUID, RepFigures] = defaultdict(RepFigures)
    activities = select(Activity.owner_id, func.count()).where(
        Activity.owner_id.in_(rep_ids), Activity.created_at >= start, Activity.created_at < end,
    ).group_by(Activity.owner_id)
    for owner_id, count in db.session.execute(activities):
        figures[owner_id].activities = count
    earlier = aliased(StageVisit)
    moved = (
        select(Opportunity.owner_id, func.count())
        .select_from(StageVisit)
        .join(Opportunity, Opportunity.id == StageVisit.opportunity_id)
        .where(Opportunity.owner_id.in_(rep_ids), StageVisit.entered_at >= start,
               StageVisit.entered_at < end,
               exists().where(and_(earlier.opportunity_id == StageVisit.opportunity_id,
                                   earlier.entered_at < StageVisit.entered_at)))
        .group_by(Opportunity.owner_id)
    )
    for owner_id, count in db.session.execute(moved):
        figures[owner_id].moved = count
    closed = select(
        Opportunity.owner_id, Opportunity.status, Opportunity.currency, func.count(),
        func.sum(Opportunity.amount),
    ).where(
        Opportunity.owner_id.in_(rep_ids), Opportunity.status.in_((WON, LOST)),
        Opportunity.closed_at >= start, Opportunity.closed_at < end,
    ).group_by(Opportunity.owner_id, Opportunity.status, Opportunity.currency)
    for owner_id, status, currency, count, amount in db.session.execute(closed):
        rep = figures[owner_id]
        if status == WON:
            rep.won += count
            rep.won_amounts[currency] = Decimal(amount or 0)
        else:
            rep.lost += count
    orders = select(Order.owner_id, Order.currency, func.count(), func.sum(Order.total)).where(
        Order.owner_id.in_(rep_ids), Order.ordered_at >= start, Order.ordered_at < end,
    ).group_by(Order.owner_id, Order.currency)
    for owner_id, currency, count, total in db.session.execute(orders):
        figures[owner_id].orders += count
        figures[owner_id].order_amounts[currency] = Decimal(total or 0)
    return figures


def _subject(period: Period) -> str:
    first, last = format_date(period.start), format_date(period.end - timedelta(days=1))
    if period.kind == DAILY:
        return _("Your team's day: %(day)s", day=first)
    if period.kind == WEEKLY:
        return _("Your team's week: %(first)s to %(last)s", first=first, last=last)
    return _("Your team's month: %(first)s to %(last)s", first=first, last=last)


def _amounts(amounts: dict[str, Decimal]) -> str:
    return ", ".join(format_currency(amount, currency)
                     for currency, amount in sorted(amounts.items()))


def _body(manager: User, team: list[User], figures: dict[uuid.UUID, RepFigures],
          period: Period) -> str:
    lines = [_("Hello %(name)s,", name=manager.name), "", _subject(period), ""]
    for rep in team:
        rep_figures = figures[rep.id]
        lines += [
            rep.name,
            "  " + _("Activities logged: %(count)d", count=rep_figures.activities),
            "  " + _("Deals moved to another stage: %(count)d", count=rep_figures.moved),
            "  " + _("Deals won: %(count)d", count=rep_figures.won)
            + (f" ({_amounts(rep_figures.won_amounts)})" if rep_figures.won_amounts else ""),
            "  " + _("Deals lost: %(count)d", count=rep_figures.lost),
            "  " + _("Orders: %(count)d", count=rep_figures.orders)
            + (f" ({_amounts(rep_figures.order_amounts)})" if rep_figures.order_amounts else ""),
            "",
        ]
    return "\n".join(lines)
