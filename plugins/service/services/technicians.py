"""Technicians and their time off: a technician's user account must be an active user who is
no other technician; time off runs forwards, and while it lasts the technician cannot be
booked (:mod:`patron_service.services.scheduling`)."""

from __future__ import annotations

import uuid

from flask import abort
from sqlalchemy import select

from patron.sdk import Rules, Unique, ValidationFailed, db, merged
from patron_service.models.field_work import WEEKDAYS, Technician, TimeOff
from patron_service.models.sla import BusinessHours
from patron_service.services.assignment import active_users


def _check_user(data: dict, technician: Technician | None) -> None:
    user_id = merged(technician, data).get("user_id")
    if user_id is not None and not active_users([user_id]):
        raise ValidationFailed({"user_id": ["No such active user."]})


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def business_working_hours() -> dict:
    """A new technician's working hours unless given: the tenant's business hours, from the
    first opening to the last closing of each weekday (a day without business hours is off).
    Without it a technician made on a page could not be scheduled on any day."""
    spans: dict[int, tuple[int, int]] = {}
    for hours in db.session.execute(select(BusinessHours)).scalars():
        start, end = spans.get(hours.weekday, (hours.start_minute, hours.end_minute))
        spans[hours.weekday] = (min(start, hours.start_minute), max(end, hours.end_minute))
    return {"working_hours": {WEEKDAYS[day]: [_clock(start), _clock(end)]
                              for day, (start, end) in sorted(spans.items())}}


#: ``POST/PATCH/DELETE technicians``.
TECHNICIAN_RULES = Rules(Technician, check=_check_user, defaults=business_working_hours,
                         unique=(Unique(("user_id",), "user_id",
                                        "This user is a technician already."),))


def time_off_of(technician: Technician) -> list[TimeOff]:
    """The technician's time off, earliest first."""
    return list(db.session.execute(
        select(TimeOff).where(TimeOff.technician_id == technician.id)
        .order_by(TimeOff.starts_at, TimeOff.id)).scalars())


def add_time_off(technician: Technician, data: dict) -> TimeOff:
    """Record time off; 422 when it ends before it starts."""
    if data["ends_at"] <= data["starts_at"]:
        raise ValidationFailed({"ends_at": ["Must be after starts_at."]})
    away = TimeOff(technician_id=technician.id, **data)
    db.session.add(away)
    db.session.flush()
    return away


def remove_time_off(technician: Technician, time_off_id: uuid.UUID) -> None:
    """Take back time off; 404 if it is not the technician's."""
    away = db.session.execute(select(TimeOff).where(
        TimeOff.id == time_off_id, TimeOff.technician_id == technician.id)
    ).scalar_one_or_none()
    if away is None:
        abort(404)
    db.session.delete(away)
    db.session.flush()
