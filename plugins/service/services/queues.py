"""Queues of tickets: their members must be active users, their names unique; a deleted
queue leaves its tickets without a queue."""

from __future__ import annotations

from sqlalchemy import update

from patron.sdk import Rules, Unique, ValidationFailed, db, merged
from patron_service.models.tickets import Queue, Ticket
from patron_service.services.assignment import active_users


def _check_people(data: dict, queue: Queue | None) -> None:
    values = merged(queue, data)
    listed = values.get("member_ids") or []
    if len(active_users(listed)) != len(set(listed)):
        raise ValidationFailed({"member_ids": ["Every member must be an active user."]})
    if values.get("lead_id") is not None and not active_users([values["lead_id"]]):
        raise ValidationFailed({"lead_id": ["No such active user."]})


def _release_tickets(queue: Queue) -> None:
    db.session.execute(update(Ticket).where(Ticket.queue_id == queue.id).values(queue_id=None))


#: ``POST/PATCH/DELETE queues``.
QUEUE_RULES = Rules(Queue, check=_check_people,
                    unique=(Unique(("name",), "name", "Another queue has this name."),),
                    before_delete=_release_tickets)
