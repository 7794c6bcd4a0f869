"""The sales module's tables behind its reports: quotas, the team summaries already mailed,
and the running totals the forecast and the funnel read (kept by
:mod:`patron_sales.services.report_totals`).

Same rules as :mod:`patron_sales.models.deals`: ``sales_`` tables, ``tenant_id`` leading
every key and index, references through :func:`~patron.sdk.tenant_fk`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Float, Index, Integer, Numeric, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import (
    AMOUNT,
    Owned,
    TenantScoped,
    Timestamps,
    UTCDateTimeColumn,
    Versioned,
    owner_constraints,
    tenant_fk,
)


class Quota(TenantScoped, Timestamps, Versioned, Owned):
    """What a user (the owner) should win in one month, in one currency."""

    __tablename__ = "sales_quotas"

    period_start: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))

    __table_args__ = (
        *owner_constraints("sales_quotas"),
        UniqueConstraint("tenant_id", "owner_id", "period_start", "currency"),
        Index("ix_sales_quotas_period", "tenant_id", "period_start"),
    )


class TeamReportRun(TenantScoped):
    """One period's team summaries, mailed: claimed before sending so that no period is
    mailed twice, whichever worker runs the job (see :mod:`patron_sales.services.team_reports`)."""

    __tablename__ = "sales_team_report_runs"

    period: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)

    __table_args__ = (UniqueConstraint("tenant_id", "period", "period_start"),)


#: Sums of many deals' amounts: wider than one deal's.
TOTAL = Numeric(24, 4)
#: Amount × probability / 100 keeps six decimals: summed exactly, rounded when shown.
WEIGHTED = Numeric(24, 6)


class ForecastTotal(TenantScoped):
    """What the forecast sums, kept per pipeline, owner, close month, category and currency.

    ``close_month`` is ``year * 12 + month - 1`` of the expected close date (``None`` for
    deals without one); ``category`` is ``closed`` for won deals, else the deal's forecast
    category; lost deals and open ones ``omitted`` from the forecast are not counted.
    Maintained by :mod:`patron_sales.services.report_totals` in the transaction of every deal write;
    a key may have several rows (two transactions that made it at once): readers sum them.
    """

    __tablename__ = "sales_forecast_totals"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    close_month: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    deals: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[Decimal] = mapped_column(TOTAL, default=Decimal(0))
    weighted: Mapped[Decimal] = mapped_column(WEIGHTED, default=Decimal(0))

    __table_args__ = (
        tenant_fk("owner_id", "users"),
        Index("ix_sales_forecast_totals_key", "tenant_id", "pipeline_id", "owner_id",
              "close_month", "category", "currency"),
    )


class FunnelTotal(TenantScoped):
    """Deals per pipeline, owner, month opened (``created_month``, as ``close_month``),
    furthest stage reached, status and currency: their count, amount and (won ones) the
    days from opening to winning. Kept like :class:`ForecastTotal`."""

    __tablename__ = "sales_funnel_totals"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_month: Mapped[int] = mapped_column(Integer)
    furthest_stage_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3))
    deals: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[Decimal] = mapped_column(TOTAL, default=Decimal(0))
    cycle_days: Mapped[float] = mapped_column(Float, default=0.0)

    __table_args__ = (
        tenant_fk("owner_id", "users"),
        Index("ix_sales_funnel_totals_key", "tenant_id", "pipeline_id", "owner_id",
              "created_month", "furthest_stage_id", "status", "currency"),
    )


class StageTimeTotal(TenantScoped):
    """Ended stays in a stage of the deals of a pipeline, owner and month opened: how many
    and their days in all. Kept like :class:`ForecastTotal`."""

    __tablename__ = "sales_stage_time_totals"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_month: Mapped[int] = mapped_column(Integer)
    stage_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stays: Mapped[int] = mapped_column(Integer, default=0)
    days: Mapped[float] = mapped_column(Float, default=0.0)

    __table_args__ = (
        tenant_fk("owner_id", "users"),
        Index("ix_sales_stage_time_totals_key", "tenant_id", "pipeline_id", "owner_id",
              "created_month", "stage_id"),
    )


MODELS = [Quota, TeamReportRun, ForecastTotal, FunnelTotal, StageTimeTotal]
