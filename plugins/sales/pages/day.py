"""A rep's day (``/sales/my-day``) and a manager's team dashboard (``/sales/team``).

"Today", "this week" and "this month" are the tenant's, in its time zone. Every list and
figure is one query over the records in the user's data scope, whatever the size of the
team: the dashboard groups deals and activities by owner in SQL, never a query per person.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import Select, and_, case, func

from patron.sdk import Activity, User, can, db, local_zone, require, scoped_select, spec_for
from patron_sales.models.deals import OPEN, WON, Opportunity
from patron_sales.models.leads import Lead
from patron_sales.permissions import CONVERT_LEADS, LEADS, OPPORTUNITIES
from patron_sales.services.board import account_names
from patron_sales.services.reports import first_of_next_month
from patron_sales.services.team import team_members

#: Entries per list of "My day"; the record lists hold the rest.
SHORT_LIST = 10


def local_today() -> date:
    """Today in the tenant's time zone."""
    return datetime.now(local_zone()).date()


def local_midnight(day: date) -> datetime:
    """The start of local ``day``, in UTC."""
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(UTC)


def _activities() -> Select | None:
    """The activities the user may read, if they may read any."""
    permission = spec_for("activity").permission
    return scoped_select(Activity, permission) if can(f"{permission}.read") else None


def _my_deals() -> Select:
    return scoped_select(Opportunity, OPPORTUNITIES).where(
        Opportunity.owner_id == current_user.id, Opportunity.status == OPEN)


def _listed(statement: Select) -> list:
    return list(db.session.execute(statement.limit(SHORT_LIST)).scalars())


@login_required
def my_day():
    """Today's activities, stalled deals, deals closing this month and open leads."""
    require(f"{OPPORTUNITIES}.read")
    today = local_today()
    activities = _activities()
    due_today = [] if activities is None else _listed(activities.where(
        Activity.owner_id == current_user.id,
        Activity.due_at >= local_midnight(today),
        Activity.due_at < local_midnight(today + timedelta(days=1)),
    ).order_by(Activity.due_at, Activity.id))
    stalled = _listed(_my_deals().where(Opportunity.stalled_at.is_not(None))
                      .order_by(Opportunity.stalled_at, Opportunity.id))
    month = today.replace(day=1)
    closing = _listed(_my_deals().where(
        Opportunity.expected_close_date >= month,
        Opportunity.expected_close_date < first_of_next_month(month),
    ).order_by(Opportunity.expected_close_date, Opportunity.id))
    leads = [] if not can(f"{LEADS}.read") else _listed(
        scoped_select(Lead, LEADS).where(
            Lead.owner_id == current_user.id, Lead.converted_at.is_(None),
            Lead.status != "disqualified",
        ).order_by(Lead.score.desc(), Lead.created_at, Lead.id))
    return render_template(
        "sales/my_day.html", today=today, activities=due_today, show_activities=(
            activities is not None), stalled=stalled, closing=closing, leads=leads,
        show_leads=can(f"{LEADS}.read"), can_convert=can(CONVERT_LEADS),
        accounts=account_names({deal.account_id for deal in [*stalled, *closing]}),
    )


@dataclass
class MemberFigures:
    """One member of the team on the dashboard."""

    user: User
    open_deals: int = 0
    pipeline: dict[str, Decimal] = field(default_factory=dict)  # currency -> amount
    won_deals: int = 0
    won: dict[str, Decimal] = field(default_factory=dict)
    activities: int = 0
    activities_done: int = 0


def deal_figures(members: dict[uuid.UUID, MemberFigures], month: date) -> None:
    """Open pipeline and deals won this month, per member and currency (one query)."""
    won_now = and_(Opportunity.status == WON,
                   Opportunity.closed_at >= local_midnight(month),
                   Opportunity.closed_at < local_midnight(first_of_next_month(month)))
    is_open = Opportunity.status == OPEN
    rows = db.session.execute(
        scoped_select(Opportunity, OPPORTUNITIES)
        .with_only_columns(
            Opportunity.owner_id, Opportunity.currency,
            func.count(case((is_open, 1))).label("open"),
            func.sum(case((is_open, Opportunity.amount))).label("pipeline"),
            func.count(case((won_now, 1))).label("won"),
            func.sum(case((won_now, Opportunity.amount))).label("won_amount"),
            maintain_column_froms=True)
        .where(Opportunity.owner_id.in_(team_members().with_only_columns(User.id)),
               (is_open | won_now))
        .group_by(Opportunity.owner_id, Opportunity.currency)
        .order_by(Opportunity.owner_id, Opportunity.currency)
    ).all()
    for row in rows:
        member = members.get(row.owner_id)
        if member is None:
            continue
        member.open_deals += row.open
        member.won_deals += row.won
        if row.open:
            member.pipeline[row.currency] = Decimal(str(row.pipeline))
        if row.won:
            member.won[row.currency] = Decimal(str(row.won_amount))


def _activity_figures(members: dict[uuid.UUID, MemberFigures], week: date) -> None:
    """Activities of this week (by due, start or logging time) per member (one query)."""
    activities = _activities()
    if activities is None:
        return
    when = func.coalesce(Activity.due_at, Activity.start_at, Activity.created_at)
    rows = db.session.execute(
        activities.with_only_columns(
            Activity.owner_id, func.count(Activity.id).label("count"),
            func.count(case((Activity.status == "done", 1))).label("done"),
            maintain_column_froms=True)
        .where(Activity.owner_id.in_(team_members().with_only_columns(User.id)),
               when >= local_midnight(week), when < local_midnight(week + timedelta(days=7)))
        .group_by(Activity.owner_id)
    ).all()
    for row in rows:
        if row.owner_id in members:
            members[row.owner_id].activities = row.count
            members[row.owner_id].activities_done = row.done


@login_required
def team_dashboard():
    """Per member of the user's team: open pipeline, won this month, activities this week."""
    require(f"{OPPORTUNITIES}.read")
    today = local_today()
    members = {user.id: MemberFigures(user)
               for user in db.session.execute(team_members()).scalars()}
    deal_figures(members, today.replace(day=1))
    _activity_figures(members, today - timedelta(days=today.weekday()))
    totals: dict[str, dict[str, Decimal]] = {"pipeline": defaultdict(Decimal),
                                             "won": defaultdict(Decimal)}
    for member in members.values():
        for name in ("pipeline", "won"):
            for currency, amount in getattr(member, name).items():
                totals[name][currency] += amount
    return render_template("sales/team.html", members=list(members.values()), totals=totals,
                           today=today, show_activities=_activities() is not None)


def register(bp: Blueprint) -> None:
    """Add "My day" and the team dashboard to ``bp``."""
    bp.add_url_rule("/my-day", view_func=my_day)
    bp.add_url_rule("/team", view_func=team_dashboard)
