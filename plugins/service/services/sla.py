"""SLA due times of tickets: the targets of the ticket's policy for its priority, counted in
the tenant's business hours (:mod:`patron_service.services.calendar`) from the ticket's
creation.

While a ticket waits on the customer its resolution clock stands still: the business minutes
of each pause are added up (``sla_paused_minutes``), and the resolution is due that much
later. Since the pauses lie before the due time, ``due = add(created_at, target + paused)``
holds exactly, whatever the calendar; a change of priority recomputes both due times the
same way.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Case, case, literal, select, update
from sqlalchemy.orm import InstrumentedAttribute

from patron.sdk import Tenant, db, require_tenant_id, utcnow
from patron_service.models.sla import BusinessHours, Holiday, SlaPolicy
from patron_service.models.tickets import OPEN_STATUSES, Ticket
from patron_service.services.calendar import BusinessCalendar

#: Open tickets whose due times are recomputed per statement when their policy changes.
RECOMPUTE_BATCH = 500
#: A ticket's first-response and resolution due times (``None``: no target).
DueTimes = tuple[datetime | None, datetime | None]


def tenant_timezone() -> ZoneInfo:
    """The current tenant's time zone."""
    return ZoneInfo(db.session.get(Tenant, require_tenant_id()).timezone)


def tenant_calendar() -> BusinessCalendar:
    """The current tenant's business hours, time zone and holidays."""
    periods: dict[int, list[tuple[int, int]]] = {}
    for hours in db.session.execute(select(BusinessHours)).scalars():
        periods.setdefault(hours.weekday, []).append((hours.start_minute, hours.end_minute))
    holidays = frozenset(db.session.execute(select(Holiday.day)).scalars())
    return BusinessCalendar(tenant_timezone(),
                            {day: tuple(spans) for day, spans in periods.items()}, holidays)


def default_policy() -> SlaPolicy | None:
    """The policy tickets follow unless they name another."""
    return db.session.execute(
        select(SlaPolicy).where(SlaPolicy.is_default.is_(True)).order_by(SlaPolicy.id).limit(1)
    ).scalar_one_or_none()


def _policy_of(ticket: Ticket) -> SlaPolicy | None:
    if ticket.sla_policy_id is None:
        return default_policy()
    return db.session.execute(
        select(SlaPolicy).where(SlaPolicy.id == ticket.sla_policy_id)).scalar_one_or_none()


def set_due_times(ticket: Ticket, calendar: BusinessCalendar | None = None) -> None:
    """(Re)compute the ticket's due times from its policy, priority and pauses."""
    policy = _policy_of(ticket)
    ticket.sla_policy_id = policy.id if policy else None
    _apply_targets(ticket, policy, calendar)


def _apply_targets(ticket: Ticket, policy: SlaPolicy | None,
                   calendar: BusinessCalendar | None) -> None:
    target = policy.targets.get(ticket.priority) if policy else None
    ticket.first_response_due_at, ticket.resolution_due_at = _due_times(
        ticket.created_at, ticket.sla_paused_minutes, target,
        calendar or tenant_calendar()) if target else (None, None)


def _due_times(created_at: datetime, paused_minutes: int, target: dict | None,
               calendar: BusinessCalendar) -> DueTimes:
    if not target:
        return None, None
    return (calendar.add(created_at, target["first_response_minutes"]),
            calendar.add(created_at, target["resolution_minutes"] + (paused_minutes or 0)))


def _write_due_times(due: dict[uuid.UUID, DueTimes], now: datetime) -> None:
    """One UPDATE for a batch of tickets: each gets its own due times (a CASE on its id) and
    its version bumped. An ORM statement, so it is scoped to the tenant like every other."""

    def per_ticket(column: InstrumentedAttribute, index: int) -> Case:
        return case({ticket_id: literal(times[index], column.type)
                     for ticket_id, times in due.items()}, value=Ticket.id)

    db.session.execute(update(Ticket).where(Ticket.id.in_(list(due))).values(
        first_response_due_at=per_ticket(Ticket.first_response_due_at, 0),
        resolution_due_at=per_ticket(Ticket.resolution_due_at, 1),
        version=Ticket.version + 1, updated_at=now))


def recompute_open_tickets(policy: SlaPolicy) -> int:
    """Recompute the due times of the open tickets that follow ``policy`` (after its targets
    changed), ``RECOMPUTE_BATCH`` tickets at a time: one query reads a batch, one statement
    writes it and bumps the versions, so a concurrent edit made against the old version
    still gets its 409. Returns how many tickets there were. Resolved and closed tickets keep
    the due times they were measured against."""
    calendar, now = tenant_calendar(), utcnow()
    done, after = 0, None
    while True:
        statement = (select(Ticket.id, Ticket.priority, Ticket.created_at,
                            Ticket.sla_paused_minutes)
                     .where(Ticket.sla_policy_id == policy.id,
                            Ticket.status.in_(OPEN_STATUSES))
                     .order_by(Ticket.id).limit(RECOMPUTE_BATCH))
        if after is not None:
            statement = statement.where(Ticket.id > after)
        batch = db.session.execute(statement).all()
        if batch:
            _write_due_times({ticket_id: _due_times(created_at, paused,
                                                    policy.targets.get(priority), calendar)
                              for ticket_id, priority, created_at, paused in batch}, now)
        done += len(batch)
        if len(batch) < RECOMPUTE_BATCH:
            return done
        after = batch[-1].id


def pause(ticket: Ticket, now: datetime) -> None:
    """Stop the resolution clock (the ticket now waits on the customer)."""
    if ticket.sla_paused_at is None:
        ticket.sla_paused_at = now


def resume(ticket: Ticket, now: datetime) -> None:
    """Restart the resolution clock, due later by the business minutes of the pause."""
    if ticket.sla_paused_at is None:
        return
    calendar = tenant_calendar()
    ticket.sla_paused_minutes = (ticket.sla_paused_minutes or 0) + calendar.minutes_between(
        ticket.sla_paused_at, now)
    ticket.sla_paused_at = None
    set_due_times(ticket, calendar)
