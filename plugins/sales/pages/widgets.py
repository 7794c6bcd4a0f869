"""The sales module's home-page widgets: approvals waiting for the user, their open pipeline
by stage, their stalled deals, this month's quota, and their team's month for a manager.

Each is one grouped query (or two) over the user's data scope, its numbers linking to the
lists behind them; amounts are left out for a role that may not see a deal's amount.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from patron.sdk import (
    OWN,
    User,
    Widget,
    can,
    db,
    hidden_fields,
    list_url,
    scope_for,
    scoped_select,
)
from patron_sales.models.approvals import PENDING, Approval
from patron_sales.models.commerce import Contract, Quote
from patron_sales.models.deals import OPEN, Opportunity, Stage
from patron_sales.pages.day import MemberFigures, deal_figures, local_today
from patron_sales.permissions import APPROVALS, OPPORTUNITIES, QUOTAS
from patron_sales.services import quotas
from patron_sales.services.team import team_members

#: Entries a widget lists; its link opens the rest.
SHOWN = 5
#: A time before every record: ``stalled_at__gte`` of it lists the stalled deals.
EVER = "2000-01-01T00:00:00+00:00"


def _amounts_visible() -> bool:
    return "amount" not in hidden_fields("opportunity")


def approvals_widget(user: User) -> Widget | None:
    """Approval requests addressed to the user that wait for a decision (only when some do:
    a rep with nobody reporting to them never gets one)."""
    if not can(f"{APPROVALS}.read"):
        return None
    waiting = scoped_select(Approval, APPROVALS).where(Approval.owner_id == user.id,
                                                       Approval.status == PENDING)
    count = db.session.execute(waiting.with_only_columns(
        func.count(Approval.id), maintain_column_froms=True)).scalar_one()
    if not count:
        return None
    rows = list(db.session.execute(waiting.order_by(Approval.created_at, Approval.id)
                                   .limit(SHOWN)).scalars())
    names = _subjects(rows)
    requesters = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_({row.requested_by for row in rows if row.requested_by}))).all())
    items = [{"approval": row, "subject": names.get(row.quote_id or row.contract_id, ""),
              "entity": "quote" if row.quote_id else "contract",
              "url": url_for("sales_pages.quote_page", record_id=row.quote_id)
              if row.quote_id else url_for("records.record_detail", entity="contract",
                                           record_id=row.contract_id),
              "requested_by": requesters.get(row.requested_by, "")} for row in rows]
    return Widget("sales.approvals", _l("Approvals waiting for me"),
                  "sales/widgets/approvals.html",
                  {"requests": items, "count": count, "can_decide": can(f"{APPROVALS}.update")},
                  permission=f"{APPROVALS}.read", order=5)


def _subjects(approvals: list[Approval]) -> dict:
    """The names of the quotes and contracts ``approvals`` are about (two small queries)."""
    quote_ids = {a.quote_id for a in approvals if a.quote_id}
    contract_ids = {a.contract_id for a in approvals if a.contract_id}
    names = dict(db.session.execute(select(Quote.id, Quote.name).where(
        Quote.id.in_(quote_ids))).all()) if quote_ids else {}
    if contract_ids:
        names.update(db.session.execute(select(Contract.id, Contract.name).where(
            Contract.id.in_(contract_ids))).all())
    return names


def pipeline_widget(user: User) -> Widget:
    """The user's open deals per stage: how many and how much (per currency), one query."""
    rows = db.session.execute(
        scoped_select(Opportunity, OPPORTUNITIES)
        .with_only_columns(Opportunity.stage_id, Opportunity.currency,
                           func.count().label("deals"),
                           func.sum(Opportunity.amount).label("amount"),
                           maintain_column_froms=True)
        .where(Opportunity.owner_id == user.id, Opportunity.status == OPEN)
        .group_by(Opportunity.stage_id, Opportunity.currency)).all()
    stages = {stage.id: stage for stage in db.session.execute(
        select(Stage).where(Stage.id.in_({row.stage_id for row in rows}))).scalars()}
    by_stage: dict = defaultdict(lambda: {"deals": 0, "amounts": {}})
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        entry = by_stage[row.stage_id]
        entry["deals"] += row.deals
        entry["amounts"][row.currency] = Decimal(str(row.amount or 0))
        totals[row.currency] += Decimal(str(row.amount or 0))
    ordered = sorted(by_stage.items(), key=lambda pair: (
        stages[pair[0]].pipeline_id.hex if pair[0] in stages else "",
        stages[pair[0]].position if pair[0] in stages else 0))
    mine = {"owner": "me", "status": OPEN}
    return Widget("sales.pipeline", _l("My open deals"), "sales/widgets/pipeline.html", {
        "stages": [{"name": stages[stage_id].name if stage_id in stages else "",
                    "url": list_url("opportunity", {**mine, "stage_id": str(stage_id)}),
                    **entry} for stage_id, entry in ordered],
        "deals": sum(entry["deals"] for entry in by_stage.values()),
        "totals": dict(totals), "show_amounts": _amounts_visible(),
        "all_url": list_url("opportunity", mine),
        "board_url": url_for("sales_pages.pipeline_board"),
    }, permission=f"{OPPORTUNITIES}.read", order=20)


def stalled_widget(user: User) -> Widget | None:
    """The user's deals that stalled (only when some did)."""
    stalled = scoped_select(Opportunity, OPPORTUNITIES).where(
        Opportunity.owner_id == user.id, Opportunity.status == OPEN,
        Opportunity.stalled_at.is_not(None))
    count = db.session.execute(stalled.with_only_columns(
        func.count(), maintain_column_froms=True)).scalar_one()
    if not count:
        return None
    deals = list(db.session.execute(stalled.order_by(Opportunity.stalled_at, Opportunity.id)
                                    .limit(SHOWN)).scalars())
    return Widget("sales.stalled", _l("Stalled deals"), "sales/widgets/stalled.html",
                  {"deals": deals, "count": count, "all_url": list_url("opportunity", {
                      "owner": "me", "status": OPEN, "stalled_at__gte": EVER,
                      "sort": "stage_entered_at"})},
                  permission=f"{OPPORTUNITIES}.read", order=25)


def quota_widget(user: User) -> Widget | None:
    """What the user won this month against their quota (only when they have one)."""
    if not can(f"{QUOTAS}.read") or not _amounts_visible():
        return None
    month = local_today().replace(day=1)
    mine = quotas.attainment(month, month, owner_id=user.id)
    if not mine:
        return None
    return Widget("sales.quota", _l("Quota this month"), "sales/widgets/quota.html",
                  {"quotas": mine, "month": month}, permission=f"{QUOTAS}.read", order=30)


def team_widget(user: User) -> Widget | None:
    """For a manager (a scope wider than their own deals): the team's open pipeline and
    what it won this month, with a link to the team dashboard (one grouped query)."""
    if scope_for(OPPORTUNITIES) == OWN:
        return None
    members = {member.id: MemberFigures(member)
               for member in db.session.execute(team_members()).scalars()}
    if len(members) < 2:
        return None
    deal_figures(members, local_today().replace(day=1))
    pipeline: dict[str, Decimal] = defaultdict(Decimal)
    won: dict[str, Decimal] = defaultdict(Decimal)
    for member in members.values():
        for currency, amount in member.pipeline.items():
            pipeline[currency] += amount
        for currency, amount in member.won.items():
            won[currency] += amount
    return Widget("sales.team", _l("My team this month"), "sales/widgets/team.html", {
        "members": len(members), "open_deals": sum(m.open_deals for m in members.values()),
        "won_deals": sum(m.won_deals for m in members.values()), "pipeline": dict(pipeline),
        "won": dict(won), "show_amounts": _amounts_visible(),
        "team_url": url_for("sales_day.team_dashboard"),
    }, permission=f"{OPPORTUNITIES}.read", order=40)


def sales_widgets(user: User) -> list[Widget]:
    """The widgets that concern ``user`` now."""
    if not can(f"{OPPORTUNITIES}.read"):
        widgets = [approvals_widget(user)]
    else:
        widgets = [approvals_widget(user), pipeline_widget(user), stalled_widget(user),
                   quota_widget(user), team_widget(user)]
    return [widget for widget in widgets if widget is not None]

