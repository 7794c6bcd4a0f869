"""SLA due times of tickets: the targets of the ticket's policy for its priority, counted in
the tenant's business hours (:mod:`patron_service.calendar`) from the ticket's creation.

While a ticket waits on the customer its resolution clock stands still: the business minutes
of each pause are added up (``sla_paused_minutes``), and the resolution is due that much
later. Since the pauses lie before the due time, ``due = add(created_at, target + paused)``
holds exactly, whatever the calendar; a change of priority recomputes both due times the
same way.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from patron.db import db, require_tenant_id
from patron.tenancy.models import Tenant
from patron_service.calendar import BusinessCalendar
from patron_service.contracts import ServiceContract
from patron_service.models import BusinessHours, Holiday, SlaPolicy, Ticket

#: What a tenant starts with when it enables the module: Monday to Friday, 09:00 to 17:00.
DEFAULT_HOURS = [(weekday, 9 * 60, 17 * 60) for weekday in range(5)]
#: The default policy's targets per priority, in business minutes: (first response,
#: resolution).
DEFAULT_TARGETS = {"urgent": (30, 4 * 60), "high": (60, 8 * 60), "normal": (4 * 60, 24 * 60),
                   "low": (8 * 60, 40 * 60)}


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


def seed_service_defaults() -> None:
    """Business hours and a default SLA policy, for a tenant that has none yet."""
    if db.session.execute(select(BusinessHours.id).limit(1)).first() is None:
        db.session.add_all(BusinessHours(weekday=day, start_minute=start, end_minute=end)
                           for day, start, end in DEFAULT_HOURS)
    if db.session.execute(select(SlaPolicy.id).limit(1)).first() is None:
        db.session.add(SlaPolicy(name="Standard", is_default=True, targets={
            priority: {"first_response_minutes": first, "resolution_minutes": resolution}
            for priority, (first, resolution) in DEFAULT_TARGETS.items()}))
    db.session.flush()


def default_policy() -> SlaPolicy | None:
    """The policy tickets follow unless they name another."""
    return db.session.execute(
        select(SlaPolicy).where(SlaPolicy.is_default.is_(True)).order_by(SlaPolicy.id).limit(1)
    ).scalar_one_or_none()


def make_default(policy: SlaPolicy) -> None:
    """Let ``policy`` be the only default one, when it says it is."""
    if policy.is_default:
        for other in db.session.execute(select(SlaPolicy).where(
                SlaPolicy.is_default.is_(True), SlaPolicy.id != policy.id)).scalars():
            other.is_default = False
        db.session.flush()


def delete_policy(policy: SlaPolicy) -> None:
    """Delete ``policy``; its tickets keep their due times and fall back to the default, as
    do the contracts that named it as their tier."""
    for model in (Ticket, ServiceContract):
        db.session.execute(update(model).where(model.sla_policy_id == policy.id)
                           .values(sla_policy_id=None))
    db.session.delete(policy)
    db.session.flush()


def _policy_of(ticket: Ticket) -> SlaPolicy | None:
    if ticket.sla_policy_id is None:
        return default_policy()
    return db.session.execute(
        select(SlaPolicy).where(SlaPolicy.id == ticket.sla_policy_id)).scalar_one_or_none()


def set_due_times(ticket: Ticket, calendar: BusinessCalendar | None = None) -> None:
    """(Re)compute the ticket's due times from its policy, priority and pauses."""
    policy = _policy_of(ticket)
    ticket.sla_policy_id = policy.id if policy else None
    target = policy.targets.get(ticket.priority) if policy else None
    if not target:
        ticket.first_response_due_at = ticket.resolution_due_at = None
        return
    calendar = calendar or tenant_calendar()
    ticket.first_response_due_at = calendar.add(ticket.created_at,
                                                target["first_response_minutes"])
    ticket.resolution_due_at = calendar.add(
        ticket.created_at, target["resolution_minutes"] + (ticket.sla_paused_minutes or 0))


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
