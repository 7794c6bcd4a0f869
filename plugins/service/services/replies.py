"""Replies on a ticket: a public reply goes to the customer (mailed to the ticket's contact
through the outbox when the contact has an e-mail address and a mail server is configured;
``mailed_to`` says where it went, and nothing when it was not mailed), an internal note stays
with the team. Each is recorded in the ticket's history (``field`` = ``reply``).

The first public reply by an agent also moves a new or assigned ticket on: to the status the
tenant's service settings name (``first_reply_status``, default ``in_progress``, as help
desks do: somebody is working on it now), recorded like any status change.

The ticket's first response is its first public reply by a user: it sets
``first_responded_at``, which meets the SLA's first-response target when it comes by
``first_response_due_at``; a later one records the breach then, unless the SLA watch already
did, with all the watch does on a breach (``first_response_breached_at``,
``ticket.sla_breached``, mail to the assignee and the queue's lead, the escalation its policy
asks for).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from patron.sdk import (
    Contact,
    User,
    ValidationFailed,
    acting_user_id,
    db,
    mail_enabled,
    new_id,
    queue_mail,
    utcnow,
)
from patron_service.models.tickets import ASSIGNED, MANUAL, NEW, Ticket, TicketReply
from patron_service.services.settings import SERVICE_SETTINGS
from patron_service.services.sla_watch import FIRST_RESPONSE, breach_found
from patron_service.services.tickets import move, record_change

#: The longest reply body accepted.
BODY_MAX = 20000


def replies_of(ticket: Ticket) -> list[TicketReply]:
    """The ticket's replies and notes, oldest first, each with its ``author_name``."""
    rows = db.session.execute(
        select(TicketReply, User.name).outerjoin(User, User.id == TicketReply.author_id)
        .where(TicketReply.ticket_id == ticket.id)
        .order_by(TicketReply.created_at, TicketReply.id)
    ).all()
    for reply, name in rows:
        reply.author_name = name
    return [reply for reply, _name in rows]


def _contact_email(ticket: Ticket) -> str | None:
    if ticket.contact_id is None:
        return None
    return db.session.execute(
        select(Contact.email).where(Contact.id == ticket.contact_id)).scalar_one_or_none()


def _first_response(ticket: Ticket, at: datetime) -> None:
    """Record the first response at ``at``, and the breach if it came after its due time."""
    ticket.first_responded_at = at
    due = ticket.first_response_due_at
    if due is not None and at > due and ticket.first_response_breached_at is None:
        breach_found(ticket, FIRST_RESPONSE, due, at)


def _mail(ticket: Ticket, reply: TicketReply) -> None:
    email = _contact_email(ticket)
    if email and mail_enabled():
        queue_mail(email, f"Re: {ticket.subject}", reply.body, kind="service.ticket_reply")
        reply.mailed_to = email


def _start_work(ticket: Ticket) -> None:
    """Move a new or assigned ticket to the status the tenant's settings name."""
    status = SERVICE_SETTINGS.current().first_reply_status
    if status and ticket.status in (NEW, ASSIGNED):
        move(ticket, status)


def add_reply(ticket: Ticket, body: str, public: bool) -> TicketReply:
    """Add a reply by the acting user (``public``: to the customer, else an internal note);
    422 for an empty body."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": [_("Write the reply first.")]})
    if len(body) > BODY_MAX:
        raise ValidationFailed({"body": [_("A reply has at most %(num)d characters.",
                                           num=BODY_MAX)]})
    now = utcnow()
    author = acting_user_id()
    reply = TicketReply(id=new_id(), ticket_id=ticket.id, body=body, public=public,
                        author_id=author, created_at=now)
    db.session.add(reply)
    if public:
        _mail(ticket, reply)
        if author is not None and ticket.first_responded_at is None:
            _first_response(ticket, now)
            _start_work(ticket)
    record_change(ticket, "reply", None, reply.id, MANUAL, now)
    db.session.flush()
    reply.author_name = current_user.name if author is not None else None
    return reply
