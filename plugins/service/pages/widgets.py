"""The service module's home-page widgets: the user's open tickets by SLA state, and a
technician's jobs of today. Each is one query or two over the user's data scope, its
numbers linking to the lists behind them."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_

from patron.sdk import User, Widget, can, db, list_url, scoped_select, utcnow
from patron_service.models.tickets import OPEN_STATUSES, Ticket
from patron_service.permissions import TICKETS, WORK_ORDERS
from patron_service.services.my_jobs import jobs_of, technician_of
from patron_service.services.sla import tenant_timezone

#: Tickets the widget lists; its links open the rest.
SHOWN = 5
#: "Due soon": the resolution falls due within this time.
SOON = timedelta(hours=1)


def my_tickets_widget(user: User) -> Widget | None:
    """The user's open tickets: how many breached an SLA target, how many are to be resolved
    within the hour, and the five due first (one query for the counts, one for the rows)."""
    if not can(f"{TICKETS}.read"):
        return None
    now = utcnow()
    mine = scoped_select(Ticket, TICKETS).where(Ticket.owner_id == user.id,
                                               Ticket.status.in_(OPEN_STATUSES))
    breached = or_(Ticket.first_response_breached_at.is_not(None),
                   Ticket.resolution_breached_at.is_not(None))
    soon = Ticket.resolution_due_at.between(now, now + SOON)
    total, breached_count, soon_count = db.session.execute(mine.with_only_columns(
        func.count(Ticket.id), func.count(Ticket.id).filter(breached),
        func.count(Ticket.id).filter(soon), maintain_column_froms=True)).one()
    tickets = list(db.session.execute(mine.order_by(
        Ticket.resolution_due_at.is_(None), Ticket.resolution_due_at, Ticket.id).limit(SHOWN)
    ).scalars())
    open_mine = {"owner": "me", "status__in": ",".join(OPEN_STATUSES),
                 "sort": "resolution_due_at"}
    return Widget("service.my_tickets", _l("My tickets"), "service/widgets/my_tickets.html", {
        "tickets": tickets, "total": total, "breached": breached_count, "soon": soon_count,
        "now": now, "all_url": list_url("ticket", open_mine),
        "soon_url": list_url("ticket", {
            **open_mine, "resolution_due_at__gte": now.isoformat(),
            "resolution_due_at__lte": (now + SOON).isoformat()}),
    }, permission=f"{TICKETS}.read", order=9)


def todays_jobs_widget(user: User) -> Widget | None:
    """A technician's work orders of today (only for users who are technicians)."""
    if not can(f"{WORK_ORDERS}.read"):
        return None
    technician = technician_of(user.id)
    if technician is None:
        return None
    zone = tenant_timezone()
    jobs = jobs_of(technician, datetime.now(zone).date(), zone)
    return Widget("service.todays_jobs", _l("Today’s jobs"), "service/widgets/jobs.html",
                  {"jobs": jobs, "zone": zone,
                   "my_jobs_url": url_for("service_pages.my_jobs.my_jobs")},
                  permission=f"{WORK_ORDERS}.read", order=8)


def service_widgets(user: User) -> list[Widget]:
    """The widgets that concern ``user`` now."""
    return [widget for widget in (todays_jobs_widget(user), my_tickets_widget(user))
            if widget is not None]
