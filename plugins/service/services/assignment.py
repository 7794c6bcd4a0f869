"""Choosing the agent a new ticket goes to, by its queue's rule.

``round_robin`` hands tickets to the queue's active members in turn (ordered by user id, the
next after the one who got the last ticket); ``least_loaded`` to the active member with the
fewest open tickets assigned, ties going to the first in that same order. ``skill_region``
gives the ticket to the least loaded of the active members whose technician profile has
every skill the ticket needs and works in its region (a member without a profile only takes
tickets that need neither); when nobody matches, the ticket waits unassigned in the queue.
``manual`` leaves the ticket unassigned in the queue.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from patron.sdk import User, db
from patron_service.models.field_work import Technician
from patron_service.models.tickets import (
    LEAST_LOADED,
    OPEN_STATUSES,
    ROUND_ROBIN,
    SKILL_REGION,
    Queue,
    Ticket,
)


@dataclass(frozen=True)
class Needs:
    """What the assignee of a ticket must bring: skills (all of them) and a region."""

    skills: frozenset[str] = frozenset()
    region: str | None = None

    def met_by(self, technician: Technician | None) -> bool:
        """Whether ``technician`` (a member's profile, or ``None``) has the skills and region."""
        if technician is None:
            return not self.skills and not self.region
        held = set(technician.skills or [])
        return self.skills <= held and (not self.region or same_region(
            self.region, technician.region))


def same_region(wanted: str, region: str | None) -> bool:
    """Regions are free text: compared without case and surrounding blanks."""
    return region is not None and wanted.strip().casefold() == region.strip().casefold()


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


def _matching(members: list[uuid.UUID], needs: Needs) -> list[uuid.UUID]:
    profiles = {technician.user_id: technician for technician in db.session.execute(
        select(Technician).where(Technician.user_id.in_(members))).scalars()}
    return [member for member in members if needs.met_by(profiles.get(member))]


def choose_assignee(queue: Queue, needs: Needs = Needs()) -> uuid.UUID | None:
    """The member the queue's rule gives the next ticket to (``None``: manual, or nobody
    fits)."""
    if queue.rule not in (ROUND_ROBIN, LEAST_LOADED, SKILL_REGION):
        return None
    members = active_users(queue.member_ids)
    if queue.rule == SKILL_REGION:
        members = _matching(members, needs)
    if not members:
        return None
    chosen = _next_in_turn(queue, members) if queue.rule == ROUND_ROBIN else (
        _least_loaded(members))
    queue.last_assigned_id = chosen
    return chosen
