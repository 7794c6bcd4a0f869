"""SLA policies and the business calendar they are measured in: the tenant's working hours
and holidays.

Like every table of the module: the ``service_`` prefix, keys led by ``tenant_id``
(DESIGN.md invariant 1).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Index, Integer, SmallInteger, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import JSONType, TenantScoped, Timestamps, Versioned


class SlaPolicy(TenantScoped, Timestamps, Versioned):
    """First-response and resolution targets per priority, in business minutes:
    ``targets`` maps a priority to ``{"first_response_minutes", "resolution_minutes"}``.

    A ticket follows the tenant's default policy unless it names another (a contract tier);
    ``warn_minutes`` before a target the ticket counts as approaching its breach;
    ``raise_priority`` escalates a breached ticket one priority up.
    """

    __tablename__ = "service_sla_policies"

    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    targets: Mapped[dict] = mapped_column(JSONType, default=dict)
    warn_minutes: Mapped[int] = mapped_column(Integer, default=60)
    raise_priority: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=false())

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)


class BusinessHours(TenantScoped, Timestamps, Versioned):
    """One working period of a weekday (0 = Monday), in minutes after local midnight of the
    tenant's time zone; a day may have several (a lunch break), a day without any is closed."""

    __tablename__ = "service_business_hours"

    weekday: Mapped[int] = mapped_column(SmallInteger)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_service_business_hours_day", "tenant_id", "weekday"),)


class Holiday(TenantScoped, Timestamps, Versioned):
    """A day on which the service desk is closed, whatever its weekday's hours."""

    __tablename__ = "service_holidays"

    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("tenant_id", "day"),)


MODELS = [SlaPolicy, BusinessHours, Holiday]
