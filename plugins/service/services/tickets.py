"""Tickets: opened (assigned by their queue's rule, SLA due times set), moved through the
status workflow, reassigned — every status and assignee change recorded in the ticket's
history (:class:`~patron_service.models.tickets.TicketChange`).

Emits ``ticket.assigned`` and ``ticket.resolved``; ``ticket.created|updated|deleted`` come
from the core's record operations, which call :func:`create_ticket` and
:func:`update_ticket` through the spec.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from patron.sdk import (
    Conflict,
    ValidationFailed,
    acting_user_id,
    changed_fields,
    check_reference,
    db,
    emit,
    get_scoped_or_404,
    new_id,
    require,
    require_tenant_id,
    utcnow,
)
from patron_service.models.contracts import ServiceContract
from patron_service.models.field_work import CANCELLED, SIGNED_OFF, WorkOrder
from patron_service.models.tickets import (
    ASSIGNED,
    CLOSED,
    IN_PROGRESS,
    MANUAL,
    NEW,
    RESOLVED,
    SKILL_REGION,
    WAITING,
    Queue,
    Ticket,
    TicketChange,
)
from patron_service.permissions import KB, TICKETS
from patron_service.schemas.tickets import TicketSchema
from patron_service.services import sla
from patron_service.services.assignment import Needs, active_users, choose_assignee
from patron_service.services.coverage import covering_today
from patron_service.services.sla_policies import check_policy

#: Where a ticket may go from each status; resolved and closed tickets may be reopened.
TRANSITIONS = {
    NEW: (ASSIGNED, IN_PROGRESS, RESOLVED),
    ASSIGNED: (IN_PROGRESS, WAITING, RESOLVED),
    IN_PROGRESS: (WAITING, RESOLVED),
    WAITING: (IN_PROGRESS, RESOLVED),
    RESOLVED: (CLOSED, IN_PROGRESS),
    CLOSED: (IN_PROGRESS,),
}
#: Work orders that no longer stand in the way of resolving their ticket.
FINISHED_WORK = (SIGNED_OFF, CANCELLED)
#: Fields that name other records, with the entity each must be readable as.
REFERENCES = {"account_id": "account", "contact_id": "contact", "product_id": "product"}


def record_change(ticket: Ticket, field: str, old: object, new: object, how: str,
                  at: datetime) -> None:
    """Add a change of ``field`` from ``old`` to ``new`` to the ticket's history."""
    db.session.add(TicketChange(
        ticket_id=ticket.id, field=field, old_value=None if old is None else str(old),
        new_value=None if new is None else str(new), how=how, changed_by=acting_user_id(),
        changed_at=at))


def _check_queue(queue_id: uuid.UUID | None) -> Queue | None:
    if queue_id is None:
        return None
    # By primary key: the ticket's queue is usually in the session already (no query then).
    queue = db.session.get(Queue, (require_tenant_id(), queue_id))
    if queue is None:
        raise ValidationFailed({"queue_id": ["No such queue."]})
    return queue


def queue_for_channel(channel: str) -> Queue | None:
    """The queue (first by name) that takes new tickets of ``channel`` naming no queue."""
    queues = db.session.execute(select(Queue).order_by(Queue.name, Queue.id)).scalars()
    return next((queue for queue in queues if channel in (queue.channels or [])), None)


def _check_assignee(user_id: uuid.UUID | None) -> None:
    if user_id is not None and not active_users([user_id]):
        raise ValidationFailed({"assignee_id": ["No such active user."]})


def _check_complaint(ticket: Ticket) -> None:
    if ticket.complaint_type and not ticket.is_complaint:
        raise ValidationFailed({"complaint_type": ["Only a complaint has a complaint type."]})
    if ticket.is_complaint and not ticket.complaint_type:
        raise ValidationFailed({"complaint_type": ["A complaint needs its type."]})


def _check_references(data: dict) -> None:
    for field, entity in REFERENCES.items():
        if data.get(field) is not None:
            check_reference(field, entity, data[field])


def assign(ticket: Ticket, user_id: uuid.UUID | None, how: str = MANUAL) -> None:
    """Give the ticket to ``user_id`` (recorded; ``ticket.assigned`` when someone gets it);
    a new ticket becomes ``assigned``, an assigned one given to nobody ``new`` again."""
    if user_id == ticket.owner_id:
        return
    now = utcnow()
    record_change(ticket, "assignee", ticket.owner_id, user_id, how, now)
    ticket.owner_id = user_id
    if user_id is not None and ticket.status == NEW:
        record_change(ticket, "status", NEW, ASSIGNED, how, now)
        ticket.status = ASSIGNED
    elif user_id is None and ticket.status == ASSIGNED:
        record_change(ticket, "status", ASSIGNED, NEW, how, now)
        ticket.status = NEW
    db.session.flush()
    if user_id is not None:
        emit("ticket.assigned", {**TicketSchema().dump(ticket), "how": how})


def open_work_orders(ticket: Ticket) -> list[str]:
    """Titles of the ticket's work orders that are neither signed off nor cancelled."""
    return list(db.session.execute(
        select(WorkOrder.title).where(WorkOrder.ticket_id == ticket.id,
                                      WorkOrder.status.not_in(FINISHED_WORK))
        .order_by(WorkOrder.created_at)
    ).scalars())


def needs_of(ticket: Ticket) -> Needs:
    """The skills the ticket and its open work orders require, and the ticket's region."""
    skills = set(ticket.required_skills or [])
    for required in db.session.execute(
            select(WorkOrder.required_skills).where(WorkOrder.ticket_id == ticket.id,
                                                    WorkOrder.status.not_in(FINISHED_WORK))
    ).scalars():
        skills.update(required or [])
    return Needs(frozenset(skills), ticket.region or None)


def route(ticket: Ticket, rules: tuple[str, ...] | None = None) -> None:
    """Assign the unassigned ticket by its queue's rule (only if it is one of ``rules``, when
    given); when the ``skill_region`` rule finds nobody with the skills and region, the
    ticket stays unassigned and that is recorded in its history."""
    queue = _check_queue(ticket.queue_id)
    if queue is None or ticket.owner_id is not None or (rules and queue.rule not in rules):
        return
    # Only the skill/region rule needs the work orders' skills (one query).
    chosen = choose_assignee(queue, needs_of(ticket) if queue.rule == SKILL_REGION else Needs())
    if chosen is not None:
        assign(ticket, chosen, queue.rule)
    elif queue.rule == SKILL_REGION:
        record_change(ticket, "assignment", None, "unmatched", SKILL_REGION, utcnow())
        db.session.flush()


def move(ticket: Ticket, status: str, how: str = MANUAL) -> None:
    """Move the ticket to ``status`` along the workflow; 422 when the move is not allowed."""
    if status == ticket.status:
        return
    if status not in TRANSITIONS.get(ticket.status, ()):
        raise ValidationFailed({"status": [
            f"A ticket cannot go from {ticket.status} to {status}."]})
    if status == ASSIGNED and ticket.owner_id is None:
        raise ValidationFailed({"status": ["An assigned ticket needs an assignee."]})
    if status == RESOLVED and (pending := open_work_orders(ticket)):
        raise ValidationFailed({"status": [
            "Sign off or cancel the ticket's open work orders first: " + ", ".join(pending)]})
    now = utcnow()
    if ticket.status == WAITING:
        sla.resume(ticket, now)
    if status == WAITING:
        sla.pause(ticket, now)
    if status == RESOLVED:
        ticket.resolved_at = now
    elif status == CLOSED:
        ticket.closed_at = now
    else:
        ticket.resolved_at = ticket.closed_at = None
    record_change(ticket, "status", ticket.status, status, how, now)
    ticket.status = status
    db.session.flush()
    if status == RESOLVED:
        emit("ticket.resolved", TicketSchema().dump(ticket))


def _entitle(ticket: Ticket) -> ServiceContract | None:
    """Record the contract covering the ticket's account and product today (or none)."""
    contract = covering_today(ticket.account_id, ticket.product_id)
    ticket.entitlement_id = contract.id if contract else None
    return contract


def open_ticket(data: dict) -> Ticket:
    """A new ticket from checked ``data``: in the queue of its channel unless it names one,
    assigned by its queue's rule unless an assignee is given, entitled by the contract that
    covers its customer (whose SLA tier it follows unless it names a policy), with its SLA
    due times."""
    status = data.pop("status", NEW)
    if status != NEW:
        raise ValidationFailed({"status": ["A ticket starts as new."]})
    queue = _check_queue(data.get("queue_id"))
    if queue is None and (queue := queue_for_channel(data.get("channel") or "api")):
        data["queue_id"] = queue.id
    check_policy(data.get("sla_policy_id"))
    assignee = data.pop("owner_id", None)
    _check_assignee(assignee)
    now = utcnow()
    ticket = Ticket(id=new_id(), status=NEW, created_at=now, updated_at=now, **data)
    _check_complaint(ticket)
    contract = _entitle(ticket)
    if contract is not None and ticket.sla_policy_id is None:
        ticket.sla_policy_id = contract.sla_policy_id
    db.session.add(ticket)
    db.session.flush()
    record_change(ticket, "status", None, NEW, MANUAL, now)
    if assignee is not None:
        assign(ticket, assignee)
    else:
        route(ticket)
    sla.set_due_times(ticket)
    db.session.flush()
    return ticket


def create_ticket(data: dict) -> Ticket:
    """``POST tickets``: the references must be records the caller may read."""
    _check_references(data)
    if data.get("contact_id") and not data.get("account_id"):
        contact = check_reference("contact_id", "contact", data["contact_id"])
        data["account_id"] = contact.account_id
    return open_ticket(data)


def update_ticket(ticket: Ticket, data: dict) -> None:
    """``PATCH tickets/<id>``: fields, then a reassignment, then a status move."""
    _check_references(data)
    if "queue_id" in data:
        _check_queue(data["queue_id"])
    check_policy(data.get("sla_policy_id"))
    reassign = "owner_id" in data
    assignee = data.pop("owner_id", None)
    status = data.pop("status", None)
    clock_before = (ticket.priority, ticket.sla_policy_id)
    for key, value in data.items():
        setattr(ticket, key, value)
    _check_complaint(ticket)
    if "account_id" in data or "product_id" in data:
        _entitle(ticket)
    if (ticket.priority, ticket.sla_policy_id) != clock_before:
        sla.set_due_times(ticket)
    if reassign:
        _check_assignee(assignee)
        assign(ticket, assignee)
    elif "required_skills" in data or "region" in data:
        route(ticket, (SKILL_REGION,))
    if status is not None:
        move(ticket, status)
    db.session.flush()


def link_customer(ticket: Ticket, contact_id: uuid.UUID, account_id: uuid.UUID | None) -> None:
    """Make the ticket the contact's and the account's, covered by the contract that covers
    them, and announce it (``ticket.updated``). No reference check: for links the module
    makes itself, such as a support-form sender who confirmed their address."""
    before = TicketSchema().dump(ticket)
    ticket.contact_id, ticket.account_id = contact_id, account_id
    _entitle(ticket)
    db.session.flush()
    after = TicketSchema().dump(ticket)
    emit("ticket.updated", {**after, "changes": changed_fields(before, after)})


def history_of(ticket: Ticket) -> list[TicketChange]:
    """Every recorded change of the ticket, oldest first."""
    return list(db.session.execute(
        select(TicketChange).where(TicketChange.ticket_id == ticket.id)
        .order_by(TicketChange.changed_at, TicketChange.id)
    ).scalars())


def delete_ticket(ticket: Ticket) -> None:
    """``DELETE tickets/<id>``: 409 while the ticket has work orders (they are cancelled, not
    deleted with it)."""
    if db.session.execute(select(WorkOrder.id).where(WorkOrder.ticket_id == ticket.id)
                          .limit(1)).first() is not None:
        raise Conflict("The ticket has work orders; delete or cancel them instead.")
    db.session.delete(ticket)
    db.session.flush()


def workable_ticket(record_id: uuid.UUID, action: str, *, articles: bool = False) -> Ticket:
    """The ticket, for a user who may ``action`` tickets (and, with ``articles``, read the
    knowledge base); 403 or 404 otherwise. The API's and the ticket page's routes on one
    ticket look it up through this."""
    require(f"{TICKETS}.{action}")
    ticket = get_scoped_or_404(Ticket, record_id, TICKETS)
    if articles:
        require(f"{KB}.read")
    return ticket
