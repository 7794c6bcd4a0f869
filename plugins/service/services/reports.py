"""Service reports over a period (tickets created, work orders booked in it): open tickets by
queue, priority and age, SLA compliance, first-response and resolution times, complaints by
type and root cause, technician utilisation and the first-time-fix rate.

Counts are grouped in SQL; durations are worked out from the few timestamp columns of the
period's tickets and work orders, in the caller's data scope.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, select

from patron.sdk import ValidationFailed, db, hidden_fields, scoped_select, utcnow
from patron_service.models.field_work import (
    CANCELLED,
    SIGNED_OFF,
    WEEKDAYS,
    Technician,
    WorkOrder,
    clock_minutes,
)
from patron_service.models.tickets import OPEN_STATUSES, Queue, Ticket
from patron_service.permissions import TICKETS, WORK_ORDERS

#: What complaints are broken down by (each only for roles that may see it).
COMPLAINT_DIMENSIONS = ("complaint_type", "root_cause")
#: The longest period one report covers.
MAX_DAYS = 366
#: The period when none is given: the last thirty days, today included.
DEFAULT_DAYS = 30
#: Ages of open tickets, in days: (label, up to).
AGES = (("under_1_day", 1), ("1_to_3_days", 3), ("3_to_7_days", 7), ("over_7_days", None))


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _average_minutes(spans: list[timedelta]) -> float | None:
    return round(sum(s.total_seconds() for s in spans) / 60 / len(spans), 1) if spans else None


def _open_tickets(tickets: Select) -> dict:
    by_queue = db.session.execute(
        tickets.where(Ticket.status.in_(OPEN_STATUSES))
        .outerjoin(Queue, Queue.id == Ticket.queue_id)
        .with_only_columns(Ticket.queue_id, Queue.name, Ticket.priority,
                           func.count(Ticket.id), maintain_column_froms=True)
        .group_by(Ticket.queue_id, Queue.name, Ticket.priority)
        .order_by(Queue.name.is_(None), Queue.name, Ticket.priority)
    ).all()
    now = utcnow()
    ages = dict.fromkeys((label for label, _ in AGES), 0)
    for (created_at,) in db.session.execute(
            tickets.where(Ticket.status.in_(OPEN_STATUSES))
            .with_only_columns(Ticket.created_at, maintain_column_froms=True)):
        days = (now - created_at).total_seconds() / 86400
        ages[next(label for label, limit in AGES if limit is None or days < limit)] += 1
    return {"by_queue": [{"queue_id": str(q) if q else None, "queue": name,
                          "priority": priority, "count": count}
                         for q, name, priority, count in by_queue],
            "by_age": ages}


def _sla_and_times(tickets: Select) -> dict:
    rows = db.session.execute(tickets.with_only_columns(
        Ticket.created_at, Ticket.first_responded_at, Ticket.resolved_at,
        Ticket.resolution_due_at, Ticket.first_response_breached_at,
        Ticket.resolution_breached_at, maintain_column_froms=True)).all()
    hidden = hidden_fields("ticket")
    resolved = [r for r in rows if r.resolved_at is not None]
    within = [r for r in resolved if r.resolution_due_at is not None
              and r.resolution_breached_at is None and r.resolved_at <= r.resolution_due_at]
    measured = [r for r in resolved if r.resolution_due_at is not None]
    return {
        "sla": {"resolved": len(resolved), "within_target": len(within),
                "compliance": _share(len(within), len(measured)),
                "first_response_breaches": sum(r.first_response_breached_at is not None
                                               for r in rows),
                "resolution_breaches": sum(r.resolution_breached_at is not None for r in rows)},
        # Averages over a time the viewer's role hides are withheld.
        "times": {"first_response_minutes_avg": None if "first_responded_at" in hidden
                  else _average_minutes([r.first_responded_at - r.created_at for r in rows
                                         if r.first_responded_at is not None]),
                  "resolution_minutes_avg": None if "resolved_at" in hidden
                  else _average_minutes([r.resolved_at - r.created_at for r in resolved])},
    }


def _complaints(tickets: Select) -> list[dict]:
    """Complaints counted by type and root cause; a dimension the viewer's role hides is not
    broken down by (an aggregate over a hidden field is withheld, not computed)."""
    hidden = hidden_fields("ticket")
    if "is_complaint" in hidden:
        return []
    dimensions = [name for name in COMPLAINT_DIMENSIONS if name not in hidden]
    columns = [getattr(Ticket, name) for name in dimensions]
    rows = db.session.execute(
        tickets.where(Ticket.is_complaint.is_(True))
        .with_only_columns(*columns, func.count(Ticket.id), maintain_column_froms=True)
        .group_by(*columns).order_by(func.count(Ticket.id).desc(), *columns)
    ).all()
    return [{**dict(zip(dimensions, row[:-1], strict=True)), "count": row[-1]} for row in rows]


def _working_minutes(technician: Technician, first: date, last: date) -> int:
    total, day = 0, first
    while day <= last:
        span = (technician.working_hours or {}).get(WEEKDAYS[day.weekday()])
        if span:
            total += clock_minutes(span[1]) - clock_minutes(span[0])
        day += timedelta(days=1)
    return total


def _utilisation(first: date, last: date, start: datetime, end: datetime) -> list[dict]:
    booked: dict[str, int] = {}
    for order in db.session.execute(
            scoped_select(WorkOrder, WORK_ORDERS)
            .where(WorkOrder.status != CANCELLED, WorkOrder.starts_at >= start,
                   WorkOrder.starts_at < end)).scalars():
        minutes = int((order.ends_at - order.starts_at).total_seconds() // 60)
        for technician_id in order.technician_ids or []:
            booked[technician_id] = booked.get(technician_id, 0) + minutes
    report = []
    for technician in db.session.execute(
            select(Technician).order_by(Technician.name, Technician.id)).scalars():
        working = _working_minutes(technician, first, last)
        busy = booked.get(str(technician.id), 0)
        report.append({"technician_id": str(technician.id), "name": technician.name,
                       "booked_minutes": busy, "working_minutes": working,
                       "utilisation": _share(busy, working)})
    return report


def _first_time_fix_rate(tickets: Select) -> float | None:
    ids = tickets.with_only_columns(Ticket.id, maintain_column_froms=True).subquery()
    visits = db.session.execute(
        select(WorkOrder.ticket_id, func.count(WorkOrder.id),
               func.sum(case((WorkOrder.status == SIGNED_OFF, 1), else_=0)))
        .where(WorkOrder.ticket_id.in_(select(ids.c.id)), WorkOrder.status != CANCELLED)
        .group_by(WorkOrder.ticket_id)
    ).all()
    resolved = set(db.session.execute(
        tickets.where(Ticket.status.not_in(OPEN_STATUSES))
        .with_only_columns(Ticket.id, maintain_column_froms=True)).scalars())
    fixed_first_time = sum(1 for ticket_id, count, signed in visits
                           if count == 1 and signed and ticket_id in resolved)
    return _share(fixed_first_time, len(visits))


def period_report(first: date, last: date, zone: ZoneInfo) -> dict:
    """The reports for local days ``first`` to ``last`` (both included)."""
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    tickets = scoped_select(Ticket, TICKETS).where(Ticket.created_at >= start,
                                                   Ticket.created_at < end)
    return {"open_tickets": _open_tickets(tickets), **_sla_and_times(tickets),
            "complaints": _complaints(tickets),
            "technicians": _utilisation(first, last, start, end),
            "first_time_fix_rate": _first_time_fix_rate(tickets)}


def report_period(first: date | None, last: date | None, zone: ZoneInfo) -> tuple[date, date]:
    """The days a report covers: as given, by default the last thirty; 422 when the period
    runs backwards or is longer than :data:`MAX_DAYS`."""
    last = last or utcnow().astimezone(zone).date()
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise ValidationFailed({"to": ["Must not be before from."]})
    if (last - first).days >= MAX_DAYS:
        raise ValidationFailed({"from": [f"A report covers at most {MAX_DAYS} days."]})
    return first, last
