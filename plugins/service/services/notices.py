"""Whom the service module tells, and what, when its events happen: the assignee of a ticket
assigned to them or whose SLA target breached, the technicians of a scheduled work order
(:func:`patron.sdk.notify`, in the change's transaction). The SLA watch tells the assignee
itself when a target is about to breach (:func:`sla_approaching`): no event marks that."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from patron.sdk import db, notify, page_path
from patron_service.models.field_work import Technician
from patron_service.models.tickets import Ticket

#: What the ticket messages name: a role that hides it gets them without.
SUBJECT = ("ticket", "subject")


def _ticket_page(ticket_id: str | uuid.UUID) -> str:
    return page_path("service_pages.ticket.ticket_page", record_id=ticket_id)


def _assigned(payload: dict) -> None:
    notify([payload.get("assignee_id")], _l(
        "The ticket %(subject)s is assigned to you.", subject=payload.get("subject", "")),
        naming=SUBJECT, instead=_l("A ticket is assigned to you."),
        kind="service.ticket_assigned", link=_ticket_page(payload["id"]))


def _breached(payload: dict) -> None:
    notify([payload.get("assignee_id")], _l(
        "The ticket %(subject)s breached its SLA.", subject=payload.get("subject", "")),
        naming=SUBJECT, instead=_l("A ticket of yours breached its SLA."),
        kind="service.sla_breached", link=_ticket_page(payload["id"]))


def _scheduled(payload: dict) -> None:
    technicians = [uuid.UUID(t) for t in payload.get("technician_ids") or []]
    users = db.session.execute(select(Technician.user_id).where(
        Technician.id.in_(technicians))).scalars().all() if technicians else []
    notify(users, _l("The work order %(title)s is scheduled for you.",
                     title=payload.get("title", "")), naming=("work_order", "title"),
           instead=_l("A work order is scheduled for you."), kind="service.work_order_scheduled",
           link=page_path("service_pages.my_jobs.my_jobs"))


def sla_approaching(ticket: Ticket) -> None:
    """Tell the assignee that a target of ``ticket`` falls due soon."""
    notify([ticket.owner_id], _l("The ticket %(subject)s is about to breach its SLA.",
                                 subject=ticket.subject),
           naming=SUBJECT, instead=_l("A ticket of yours is about to breach its SLA."),
           kind="service.sla_approaching", link=_ticket_page(ticket.id))


NOTICES: dict[str, Callable[[dict], None]] = {
    "ticket.assigned": _assigned,
    "ticket.sla_breached": _breached,
    "work_order.scheduled": _scheduled,
}
