"""What the dispatch board shows for a day or a week (Monday to Sunday): a row per
technician with an hourly slot for each working hour of the board on each day, the work
orders booked then in the slot they start in, and the unscheduled work orders waiting to be
dragged onto a slot. Everything in the tenant's time zone and the signed-in user's data
scope; a fixed number of queries whatever the span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from patron.sdk import db, scoped_select
from patron_service.models.field_work import BOOKED_STATUSES, NEW, Technician, WorkOrder
from patron_service.permissions import WORK_ORDERS

#: The hours the board shows (local): a slot starts at each of them.
HOURS = range(7, 19)
#: Unscheduled work orders shown; the rest are on the work-order list, filtered by status.
WAITING_SHOWN = 50
#: The spans the board shows, in days.
DAY, WEEK = "day", "week"
VIEWS = {DAY: 1, WEEK: 7}


@dataclass
class Slot:
    """One hour of one technician's day."""

    starts_at: datetime
    orders: list[WorkOrder] = field(default_factory=list)


@dataclass
class Row:
    """A technician's days: the hourly slots of the first day, then of the next, ..."""

    technician: Technician
    slots: list[Slot]

    def by_day(self) -> list[list[Slot]]:
        """The slots, one list per day."""
        per_day = len(HOURS)
        return [self.slots[i:i + per_day] for i in range(0, len(self.slots), per_day)]


def days_shown(day: date, view: str) -> list[date]:
    """The days the ``view`` containing ``day`` shows, in order (a week starts on Monday)."""
    first = day - timedelta(days=day.weekday()) if view == WEEK else day
    return [first + timedelta(days=offset) for offset in range(VIEWS[view])]


@dataclass
class Board:
    """The rows of the ``view`` (a day or a week) containing ``day`` and the work orders
    waiting for a slot."""

    day: date
    view: str
    rows: list[Row]
    waiting: list[WorkOrder]

    @property
    def days(self) -> list[date]:
        """The days shown."""
        return days_shown(self.day, self.view)

    @property
    def earlier(self) -> date:
        """The day a step back shows (a day, or a week, before)."""
        return self.day - timedelta(days=VIEWS[self.view])

    @property
    def later(self) -> date:
        """The day a step forward shows (a day, or a week, after)."""
        return self.day + timedelta(days=VIEWS[self.view])


def local_moment(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """``hour``:00 on ``day`` in ``zone``."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def board_for(day: date, zone: ZoneInfo, view: str = DAY) -> Board:
    """The board of the ``view`` (a day or a week) containing ``day``, for the signed-in
    user."""
    days = days_shown(day, view)
    first = days[0]
    technicians = db.session.execute(
        select(Technician).order_by(Technician.name, Technician.id)).scalars().all()
    rows = {str(t.id): Row(t, [Slot(local_moment(shown, hour, zone))
                               for shown in days for hour in HOURS])
            for t in technicians}
    booked = db.session.execute(
        scoped_select(WorkOrder, WORK_ORDERS)
        .where(WorkOrder.status.in_(BOOKED_STATUSES),
               WorkOrder.starts_at >= local_moment(first, 0, zone),
               WorkOrder.starts_at < local_moment(days[-1] + timedelta(days=1), 0, zone))
        .order_by(WorkOrder.starts_at, WorkOrder.id)
    ).scalars()
    for order in booked:
        local = order.starts_at.astimezone(zone)
        if local.hour not in HOURS:
            continue
        index = (local.date() - first).days * len(HOURS) + local.hour - HOURS.start
        for technician_id in order.technician_ids or []:
            row = rows.get(technician_id)
            if row is not None:
                row.slots[index].orders.append(order)
    waiting = db.session.execute(
        scoped_select(WorkOrder, WORK_ORDERS).where(WorkOrder.status == NEW)
        .order_by(WorkOrder.created_at, WorkOrder.id).limit(WAITING_SHOWN)
    ).scalars().all()
    return Board(day, view, list(rows.values()), list(waiting))


def parse_view(text: str | None) -> str:
    """``day`` or ``week``; a day for anything else."""
    return text if text in VIEWS else DAY
