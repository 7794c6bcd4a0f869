"""Booking technicians on a work order, refusing what cannot work.

A booking runs from ``starts_at`` for the work order's estimated duration. It is refused
with 422 when nobody booked has a required skill, when it falls outside a technician's
working hours (in the tenant's time zone) or outside the customer's time window, and with 409
when a technician is already booked on another work order then or is away. A refused booking
changes nothing. ``override_reason`` lets a dispatcher book anyway: the reason and what it
overrode are recorded on the work order. A closed or under-way work order never moves (409).

Refusals are worded in the request's language (flask_babel: the signed-in user's locale, else
the tenant's, else Accept-Language) — the pages show them as they are, and the API's
problem+json carries the same sentence, so an API client reads it in its own locale, English
by default. An override records the refusals in the words the dispatcher read and overrode.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import delete, select

from patron.sdk import Conflict, ValidationFailed, db, emit, utcnow
from patron_service.models.field_work import (
    BOOKED_STATUSES,
    CLOSED_STATUSES,
    EN_ROUTE,
    NEW,
    ON_SITE,
    SCHEDULED,
    WEEKDAYS,
    Booking,
    Technician,
    TimeOff,
    WorkOrder,
    clock_minutes,
)
from patron_service.schemas.field_work import WorkOrderSchema
from patron_service.services.labels import status_label, weekday_label
from patron_service.services.sla import tenant_timezone

#: Moments are shown in refusals as the tenant reads them.
SHOWN = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Problem:
    """One reason a booking cannot stand: a 422 on ``field``, or a 409 without one."""

    message: str
    field: str | None = None


def _technicians(ids: list[uuid.UUID]) -> list[Technician]:
    if not ids:
        raise ValidationFailed({"technician_ids": [_("Book at least one technician.")]})
    found = {t.id: t for t in db.session.execute(
        select(Technician).where(Technician.id.in_(ids))).scalars()}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationFailed({"technician_ids": [
            _("No such technician: %(ids)s.", ids=", ".join(missing))]})
    return [found[i] for i in ids]


def _skill_problems(order: WorkOrder, technicians: list[Technician]) -> list[Problem]:
    held = {skill for technician in technicians for skill in technician.skills or []}
    missing = [skill for skill in order.required_skills or [] if skill not in held]
    return [Problem(_("Nobody booked has the required skill: %(skills)s.",
                      skills=", ".join(missing)), "technician_ids")] if missing else []


def _hours_problems(technicians: list[Technician], start: datetime, end: datetime,
                    zone: ZoneInfo) -> list[Problem]:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = WEEKDAYS[local_start.weekday()]
    problems = []
    for technician in technicians:
        span = (technician.working_hours or {}).get(day)
        if span is None:
            problems.append(Problem(_("%(name)s does not work on %(day)s.",
                                      name=technician.name, day=weekday_label(day)),
                                    "starts_at"))
            continue
        opens, closes = (clock_minutes(t) for t in span)
        begins = local_start.hour * 60 + local_start.minute
        finishes = (local_end - local_start.replace(hour=0, minute=0, second=0,
                                                    microsecond=0)).total_seconds() / 60
        if begins < opens or finishes > closes:
            problems.append(Problem(_(
                "%(name)s works %(opens)s–%(closes)s on %(day)s; the job runs "
                "%(start)s–%(end)s.", name=technician.name, opens=span[0], closes=span[1],
                day=weekday_label(day), start=local_start.strftime(SHOWN),
                end=local_end.strftime(SHOWN)), "starts_at"))
    return problems


def _window_problems(order: WorkOrder, start: datetime, end: datetime,
                     zone: ZoneInfo) -> list[Problem]:
    if (order.window_start and start < order.window_start) or (
            order.window_end and end > order.window_end):
        shown = [moment.astimezone(zone).strftime(SHOWN) if moment else "…"
                 for moment in (order.window_start, order.window_end)]
        return [Problem(_("Outside the customer's time window %(start)s–%(end)s.",
                          start=shown[0], end=shown[1]), "starts_at")]
    return []


def _time_off_problems(technicians: list[Technician], start: datetime, end: datetime,
                       zone: ZoneInfo) -> list[Problem]:
    names = {t.id: t.name for t in technicians}
    away = db.session.execute(
        select(TimeOff).where(TimeOff.technician_id.in_(list(names)), TimeOff.starts_at < end,
                              TimeOff.ends_at > start).order_by(TimeOff.starts_at)
    ).scalars()
    return [Problem(_("%(name)s is away from %(start)s to %(end)s.",
                      name=names[off.technician_id],
                      start=off.starts_at.astimezone(zone).strftime(SHOWN),
                      end=off.ends_at.astimezone(zone).strftime(SHOWN))) for off in away]


def _double_bookings(order: WorkOrder, technicians: list[Technician], start: datetime,
                     end: datetime, zone: ZoneInfo) -> list[Problem]:
    names = {t.id: t.name for t in technicians}
    clashes = db.session.execute(
        select(Booking.technician_id, WorkOrder.title, WorkOrder.starts_at, WorkOrder.ends_at)
        .join(WorkOrder, WorkOrder.id == Booking.work_order_id)
        .where(Booking.technician_id.in_(list(names)), WorkOrder.id != order.id,
               WorkOrder.status.in_(BOOKED_STATUSES), WorkOrder.starts_at < end,
               WorkOrder.ends_at > start)
        .order_by(WorkOrder.starts_at)
    ).all()
    return [Problem(_("%(name)s is already booked on “%(title)s” %(start)s–%(end)s.",
                      name=names[technician_id], title=title,
                      start=booked_start.astimezone(zone).strftime(SHOWN),
                      end=booked_end.astimezone(zone).strftime(SHOWN)))
            for technician_id, title, booked_start, booked_end in clashes]


def refuse_if_closed(order: WorkOrder) -> None:
    """409 for a work order that is closed or under way: its booking can no longer move."""
    if order.status in CLOSED_STATUSES or order.status in (EN_ROUTE, ON_SITE):
        raise Conflict(_("The work order's status is %(status)s; its schedule cannot change.",
                         status=status_label(order.status)))


def problems_with(order: WorkOrder, technicians: list[Technician],
                  start: datetime) -> list[Problem]:
    """Everything that speaks against booking ``technicians`` on ``order`` from ``start``."""
    zone = tenant_timezone()
    end = start + timedelta(minutes=order.estimated_minutes)
    return [*_skill_problems(order, technicians),
            *_hours_problems(technicians, start, end, zone),
            *_window_problems(order, start, end, zone),
            *_time_off_problems(technicians, start, end, zone),
            *_double_bookings(order, technicians, start, end, zone)]


def _refuse(problems: list[Problem]) -> None:
    invalid: dict[str, list[str]] = {}
    for problem in problems:
        if problem.field:
            invalid.setdefault(problem.field, []).append(problem.message)
    if invalid:
        raise ValidationFailed(invalid)
    raise Conflict(" ".join(problem.message for problem in problems))


def schedule(order: WorkOrder, data: dict) -> WorkOrder:
    """Book the technicians of ``data`` on ``order`` (``work_order.scheduled``)."""
    refuse_if_closed(order)
    technicians = _technicians(list(dict.fromkeys(data["technician_ids"])))
    start = data["starts_at"]
    problems = problems_with(order, technicians, start)
    reason = data.get("override_reason")
    if problems and not reason:
        _refuse(problems)
    order.schedule_override = (
        f"{reason} (overrode: {' '.join(p.message for p in problems)})" if problems else None)
    db.session.execute(delete(Booking).where(Booking.work_order_id == order.id))
    db.session.add_all(Booking(work_order_id=order.id, technician_id=t.id)
                       for t in technicians)
    order.starts_at = start
    order.ends_at = start + timedelta(minutes=order.estimated_minutes)
    order.technician_ids = [str(t.id) for t in technicians]
    order.owner_id = technicians[0].user_id
    if order.status == NEW:
        order.status, order.scheduled_at = SCHEDULED, utcnow()
    db.session.flush()
    emit("work_order.scheduled", WorkOrderSchema().dump(order))
    return order
