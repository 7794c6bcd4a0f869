"""A technician's day on a phone: their work orders of the day, in order, each with the one
step it can take next (travel, arrive, finish, have the customer sign)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from patron.sdk import db, scoped_select
from patron_service.models.field_work import (
    COMPLETED,
    DISPATCHED,
    EN_ROUTE,
    ON_SITE,
    SCHEDULED,
    SIGNED_OFF,
    Booking,
    Technician,
    WorkOrder,
)
from patron_service.permissions import WORK_ORDERS

#: The step a technician takes from each status (cancelling is the dispatcher's call).
NEXT_STEP = {SCHEDULED: DISPATCHED, DISPATCHED: EN_ROUTE, EN_ROUTE: ON_SITE,
             ON_SITE: COMPLETED, COMPLETED: SIGNED_OFF}


def technician_of(user_id: uuid.UUID) -> Technician | None:
    """The technician record of the user, if they are one."""
    return db.session.execute(
        select(Technician).where(Technician.user_id == user_id)).scalar_one_or_none()


def jobs_of(technician: Technician, day: date, zone: ZoneInfo) -> list[WorkOrder]:
    """The technician's work orders starting on local ``day``, earliest first."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    return list(db.session.execute(
        scoped_select(WorkOrder, WORK_ORDERS)
        .join(Booking, Booking.work_order_id == WorkOrder.id)
        .where(Booking.technician_id == technician.id, WorkOrder.starts_at >= start,
               WorkOrder.starts_at < start + timedelta(days=1))
        .order_by(WorkOrder.starts_at, WorkOrder.id)
    ).scalars())
