"""The SLA watch job: flags open tickets approaching or past their due times.

Each target (first response, resolution) is announced once when breached: the ticket keeps
the moment (``first_response_breached_at``, ``resolution_breached_at``), ``ticket.sla_breached``
is emitted, the assignee and the queue's lead get a mail through the outbox, and a policy
that says so (``raise_priority``) escalates the ticket one priority up; a breach found
elsewhere (a first reply that came late) goes the same way (:func:`breach_found`). A ticket
nearing a target (``warn_minutes`` of its policy before it) is flagged once
(``sla_warned_at``) and its assignee told. Tickets waiting on the customer are skipped: their
clock stands still.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from patron.sdk import User, db, emit, queue_mail, utcnow
from patron_service.models.sla import SlaPolicy
from patron_service.models.tickets import OPEN_STATUSES, PRIORITIES, Queue, Ticket
from patron_service.schemas.tickets import TicketSchema
from patron_service.services import sla
from patron_service.services.notices import sla_approaching

FIRST_RESPONSE, RESOLUTION = "first_response", "resolution"


def _pending_targets(ticket: Ticket) -> list[tuple[str, datetime]]:
    targets = []
    if (ticket.first_responded_at is None and ticket.first_response_breached_at is None
            and ticket.first_response_due_at is not None):
        targets.append((FIRST_RESPONSE, ticket.first_response_due_at))
    if ticket.resolution_breached_at is None and ticket.resolution_due_at is not None:
        targets.append((RESOLUTION, ticket.resolution_due_at))
    return targets


def _tell(email: str | None, subject: str, text: str, kind: str) -> None:
    if email:
        queue_mail(email, subject, text, kind=kind)


def _escalate(ticket: Ticket) -> None:
    """One priority up (urgent stays urgent); the due times follow the new priority."""
    higher = PRIORITIES[min(PRIORITIES.index(ticket.priority) + 1, len(PRIORITIES) - 1)]
    if higher != ticket.priority:
        ticket.priority = higher
        sla.set_due_times(ticket)


def _breach(ticket: Ticket, target: str, due: datetime, now: datetime,
            policy: SlaPolicy | None, emails: list[str | None]) -> None:
    setattr(ticket, f"{target}_breached_at", now)
    if policy is not None and policy.raise_priority:
        _escalate(ticket)
    db.session.flush()
    emit("ticket.sla_breached", {**TicketSchema().dump(ticket), "target": target,
                                 "due_at": due.isoformat()})
    label = target.replace("_", " ")
    for email in dict.fromkeys(emails):
        _tell(email, f"SLA breached: {ticket.subject}",
              f"The {label} of the ticket “{ticket.subject}” was due at {due.isoformat()} "
              "and is overdue.", "service.sla_breached")


def _warn(ticket: Ticket, target: str, due: datetime, now: datetime,
          email: str | None) -> None:
    ticket.sla_warned_at = now
    sla_approaching(ticket)
    label = target.replace("_", " ")
    _tell(email, f"SLA due soon: {ticket.subject}",
          f"The {label} of the ticket “{ticket.subject}” is due at {due.isoformat()}.",
          "service.sla_approaching")


def _with_whom_to_tell(statement: Select) -> Select:
    """``statement`` over tickets, with the e-mail addresses of the assignee and of the
    lead of the ticket's queue added to its columns."""
    lead = aliased(User)
    return (statement.add_columns(User.email, lead.email)
            .outerjoin(User, User.id == Ticket.owner_id)
            .outerjoin(Queue, Queue.id == Ticket.queue_id)
            .outerjoin(lead, lead.id == Queue.lead_id))


def breach_found(ticket: Ticket, target: str, due: datetime, now: datetime) -> None:
    """Record that ``ticket`` missed ``target`` (due at ``due``) at ``now``, found outside the
    watch (a first reply that came late), with all the watch does on a breach: the event,
    the mail to the assignee and the queue's lead, the escalation its policy asks for."""
    policy, email, lead_email = db.session.execute(_with_whom_to_tell(
        select(SlaPolicy).select_from(Ticket)
        .outerjoin(SlaPolicy, SlaPolicy.id == Ticket.sla_policy_id)
        .where(Ticket.id == ticket.id))).one()
    _breach(ticket, target, due, now, policy, [email, lead_email])


def watch_slas() -> int:
    """Flag the current tenant's tickets; returns how many targets were newly breached."""
    now = utcnow()
    rows = db.session.execute(
        _with_whom_to_tell(select(Ticket, SlaPolicy)
                           .join(SlaPolicy, SlaPolicy.id == Ticket.sla_policy_id))
        .where(Ticket.status.in_(OPEN_STATUSES), Ticket.sla_paused_at.is_(None),
               or_(Ticket.first_response_breached_at.is_(None),
                   Ticket.resolution_breached_at.is_(None)))
        .order_by(Ticket.id)
    ).all()
    breached = 0
    for ticket, policy, email, lead_email in rows:
        for target, due in _pending_targets(ticket):
            if due <= now:
                _breach(ticket, target, due, now, policy, [email, lead_email])
                breached += 1
            elif (ticket.sla_warned_at is None
                  and due - timedelta(minutes=policy.warn_minutes) <= now):
                _warn(ticket, target, due, now, email)
    db.session.flush()
    return breached
