"""Field service tables: technicians and their time off, work orders, the technicians booked
on them and the parts they used.

A technician has skills, a region and weekly working hours (in the tenant's time zone), and
usually a user account. A work order's owner is its lead technician (the first one booked), so
a technician's ``own`` scope shows the work orders they lead.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Integer, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import (
    AMOUNT,
    JSONType,
    Owned,
    TenantScoped,
    Timestamps,
    UTCDateTimeColumn,
    Versioned,
    custom_values_index,
    owner_constraints,
    tenant_fk,
)

WORK_ORDER_TYPES = ("installation", "repair", "maintenance", "inspection")
NEW, SCHEDULED, DISPATCHED, EN_ROUTE, ON_SITE, COMPLETED, SIGNED_OFF, CANCELLED = (
    "new", "scheduled", "dispatched", "en_route", "on_site", "completed", "signed_off",
    "cancelled")
WORK_ORDER_STATUSES = (NEW, SCHEDULED, DISPATCHED, EN_ROUTE, ON_SITE, COMPLETED, SIGNED_OFF,
                       CANCELLED)
#: Work orders that can no longer be scheduled, moved or changed in their status.
CLOSED_STATUSES = (COMPLETED, SIGNED_OFF, CANCELLED)
#: Work orders whose booking holds a technician's time.
BOOKED_STATUSES = (SCHEDULED, DISPATCHED, EN_ROUTE, ON_SITE)
#: The keys of a technician's ``working_hours``, Monday first.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clock_minutes(value: str) -> int:
    """A ``working_hours`` time as minutes after midnight: ``"08:30"`` → 510."""
    hours, mins = value.split(":")
    return int(hours) * 60 + int(mins)


class Technician(TenantScoped, Timestamps, Versioned):
    """Someone who does field work. ``working_hours`` maps a weekday (``"mon"``) to local
    ``["HH:MM", "HH:MM"]``; a day not listed is off. A technician with a user account
    (``user_id``) sees the work orders they lead."""

    __tablename__ = "service_technicians"

    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(200))
    skills: Mapped[list] = mapped_column(JSONType, default=list)
    region: Mapped[str | None] = mapped_column(String(100))
    working_hours: Mapped[dict] = mapped_column(JSONType, default=dict)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        tenant_fk("user_id", "users"),
        custom_values_index("service_technicians"),
        Index("ix_service_technicians_region", "tenant_id", "region"),
    )


class TimeOff(TenantScoped, Timestamps, Versioned):
    """A stretch of time a technician cannot be booked."""

    __tablename__ = "service_time_off"

    technician_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)
    reason: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        tenant_fk("technician_id", "service_technicians", ondelete="CASCADE"),
        Index("ix_service_time_off_technician", "tenant_id", "technician_id", "starts_at"),
    )


class WorkOrder(TenantScoped, Timestamps, Versioned, Owned):
    """Field work at a customer's site, from a ticket or on its own.

    Each status transition keeps its moment (``scheduled_at`` ... ``cancelled_at``);
    ``schedule_override`` records why a refused booking was forced through.
    """

    __tablename__ = "service_work_orders"

    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16), default="repair")
    status: Mapped[str] = mapped_column(String(16), default=NEW)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    site_address: Mapped[str | None] = mapped_column(Text)
    required_skills: Mapped[list] = mapped_column(JSONType, default=list)
    estimated_minutes: Mapped[int] = mapped_column(Integer, default=60)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    #: The booked technicians, lead first (the bookings, kept on the row for listing).
    technician_ids: Mapped[list] = mapped_column(JSONType, default=list)
    schedule_override: Mapped[str | None] = mapped_column(String(2000))
    labour_minutes: Mapped[int] = mapped_column(Integer, default=0)
    charges: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    en_route_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    on_site_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("service_work_orders"),
        custom_values_index("service_work_orders"),
        tenant_fk("ticket_id", "service_tickets"),
        tenant_fk("account_id", "accounts"),
        Index("ix_service_work_orders_ticket", "tenant_id", "ticket_id"),
        Index("ix_service_work_orders_status", "tenant_id", "status"),
        Index("ix_service_work_orders_starts", "tenant_id", "starts_at"),
    )


class Booking(TenantScoped):
    """A technician booked on a work order, for the work order's scheduled time."""

    __tablename__ = "service_bookings"

    work_order_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    technician_id: Mapped[uuid.UUID] = mapped_column(Uuid)

    __table_args__ = (
        UniqueConstraint("tenant_id", "work_order_id", "technician_id"),
        tenant_fk("work_order_id", "service_work_orders", ondelete="CASCADE"),
        tenant_fk("technician_id", "service_technicians", ondelete="CASCADE"),
        Index("ix_service_bookings_technician", "tenant_id", "technician_id"),
    )


class PartUsed(TenantScoped, Timestamps, Versioned):
    """A product from the catalogue used on a work order, priced when it was recorded."""

    __tablename__ = "service_parts_used"

    work_order_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    unit_price: Mapped[Decimal] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))

    __table_args__ = (
        tenant_fk("work_order_id", "service_work_orders", ondelete="CASCADE"),
        tenant_fk("product_id", "products"),
        Index("ix_service_parts_used_work_order", "tenant_id", "work_order_id"),
    )


MODELS = [Technician, TimeOff, WorkOrder, Booking, PartUsed]
