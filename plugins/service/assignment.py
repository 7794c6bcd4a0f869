"""Choosing the agent a new ticket goes to, by its queue's rule.

``round_robin`` hands tickets to the queue's active members in turn (ordered by user id, the
next after the one who got the last ticket); ``least_loaded`` to the active member with the
fewest open tickets assigned, ties going to the first in that same order. ``manual`` leaves
the ticket unassigned in the queue.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from patron.auth.models import User
from patron.db import db
from patron_service.models import LEAST_LOADED, OPEN_STATUSES, ROUND_ROBIN, Queue, Ticket


def active_users(ids: list) -> list[uuid.UUID]:
    """Those of the user ``ids`` (text or UUID) who can still work, ordered by id."""
    listed = [uuid.UUID(str(member)) for member in ids or []]
    if not listed:
        return []
    return list(db.session.execute(
        select(User.id).where(User.id.in_(listed), User.is_active.is_(True)).order_by(User.id)
    ).scalars())


def _next_in_turn(queue: Queue, members: list[uuid.UUID]) -> uuid.UUID:
    later = [member for member in members
             if queue.last_assigned_id is not None and member > queue.last_assigned_id]
    return later[0] if later else members[0]


def _least_loaded(members: list[uuid.UUID]) -> uuid.UUID:
    load = dict(db.session.execute(
        select(Ticket.owner_id, func.count(Ticket.id))
        .where(Ticket.owner_id.in_(members), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.owner_id)
    ).all())
    return min(members, key=lambda member: (load.get(member, 0), member))


def choose_assignee(queue: Queue) -> uuid.UUID | None:
    """The member the queue's rule gives the next ticket to (``None``: manual, or nobody)."""
    if queue.rule not in (ROUND_ROBIN, LEAST_LOADED):
        return None
    members = active_users(queue.member_ids)
    if not members:
        return None
    chosen = _next_in_turn(queue, members) if queue.rule == ROUND_ROBIN else (
        _least_loaded(members))
    queue.last_assigned_id = chosen
    return chosen
