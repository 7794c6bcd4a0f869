"""What the dispatch board shows for one day: a row per technician with an hourly slot for
each working hour of the board, the work orders booked that day in the slot they start in,
and the unscheduled work orders waiting to be dragged onto a slot. Everything in the
tenant's time zone and the signed-in user's data scope; a fixed number of queries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from patron.db import db
from patron.rbac.access import scoped_select
from patron_service.field_models import BOOKED_STATUSES, NEW, Technician, WorkOrder
from patron_service.permissions import WORK_ORDERS

#: The hours the board shows (local): a slot starts at each of them.
HOURS = range(7, 19)
#: Unscheduled work orders shown; the rest are on the work-order list, filtered by status.
WAITING_SHOWN = 50


@dataclass
class Slot:
    """One hour of one technician's day."""

    starts_at: datetime
    orders: list[WorkOrder] = field(default_factory=list)


@dataclass
class Row:
    """A technician's day."""

    technician: Technician
    slots: list[Slot]


@dataclass
class Board:
    """The day's rows and the work orders waiting for a slot."""

    day: date
    rows: list[Row]
    waiting: list[WorkOrder]


def local_moment(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """``hour``:00 on ``day`` in ``zone``."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def board_for(day: date, zone: ZoneInfo) -> Board:
    """The board of ``day`` for the signed-in user."""
    technicians = db.session.execute(
        select(Technician).order_by(Technician.name, Technician.id)).scalars().all()
    rows = {str(t.id): Row(t, [Slot(local_moment(day, hour, zone)) for hour in HOURS])
            for t in technicians}
    start = local_moment(day, 0, zone)
    booked = db.session.execute(
        scoped_select(WorkOrder, WORK_ORDERS)
        .where(WorkOrder.status.in_(BOOKED_STATUSES), WorkOrder.starts_at >= start,
               WorkOrder.starts_at < start + timedelta(days=1))
        .order_by(WorkOrder.starts_at, WorkOrder.id)
    ).scalars()
    for order in booked:
        hour = order.starts_at.astimezone(zone).hour
        for technician_id in order.technician_ids or []:
            row = rows.get(technician_id)
            if row is not None and hour in HOURS:
                row.slots[hour - HOURS.start].orders.append(order)
    waiting = db.session.execute(
        scoped_select(WorkOrder, WORK_ORDERS).where(WorkOrder.status == NEW)
        .order_by(WorkOrder.created_at, WorkOrder.id).limit(WAITING_SHOWN)
    ).scalars().all()
    return Board(day, list(rows.values()), list(waiting))


def parse_day(text: str | None, today: date) -> date:
    """The day named ``YYYY-MM-DD``, or ``today`` when none (or nonsense) is given."""
    try:
        return date.fromisoformat(text) if text else today
    except ValueError:
        return today


def parse_id(text: str | None) -> uuid.UUID | None:
    """A record id sent by a form, or ``None`` for anything else."""
    try:
        return uuid.UUID(text or "")
    except ValueError:
        return None
