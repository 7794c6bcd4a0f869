"""The sales module's tables of the pipeline: pipelines and stages, opportunities, what hangs
off them and their stage history (and the one read of them a schema's dump needs: a page of
pipelines' stages).

Every table carries the module's prefix (``sales_``), leads its keys and indexes with
``tenant_id`` and refers to other tenant-owned rows through :func:`~patron.sdk.tenant_fk`
(DESIGN.md invariant 1). Amounts are ``Numeric(18, 4)`` like the core's, read as
:class:`~decimal.Decimal`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    select,
    text,
    true,
)
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
    db,
    owner_constraints,
    tenant_fk,
)

OPEN, WON, LOST = "open", "won", "lost"
#: What reaching a stage means for a deal.
STAGE_KINDS = (OPEN, WON, LOST)
#: A percentage with two decimals (discounts).
PERCENT = Numeric(5, 2)


class Pipeline(TenantScoped, Timestamps, Versioned):
    """A sales process: an ordered list of stages a deal moves through."""

    __tablename__ = "sales_pipelines"

    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Accepting a quote of a deal in this pipeline moves the deal to the won stage.
    win_on_quote_accept: Mapped[bool] = mapped_column(Boolean, default=True,
                                                      server_default=true())

    __table_args__ = (Index("ix_sales_pipelines_name", "tenant_id", "name"),)


class Stage(TenantScoped, Timestamps, Versioned):
    """One step of a pipeline, with the win probability a deal in it gets by default.

    ``kind`` says whether a deal in the stage is still open, won or lost;
    ``stalled_after_days`` (optional) is how long a deal may stay before it counts as stalled.
    """

    __tablename__ = "sales_stages"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    probability: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8), default=OPEN)
    stalled_after_days: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        tenant_fk("pipeline_id", "sales_pipelines", ondelete="CASCADE"),
        Index("ix_sales_stages_pipeline", "tenant_id", "pipeline_id", "position"),
    )


def stages_by_pipeline(pipeline_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Stage]]:
    """The stages of each pipeline in order, in one query (a list page of pipelines)."""
    stages: dict[uuid.UUID, list[Stage]] = defaultdict(list)
    for stage in db.session.execute(
        select(Stage).where(Stage.pipeline_id.in_(pipeline_ids))
        .order_by(Stage.position, Stage.id)
    ).scalars():
        stages[stage.pipeline_id].append(stage)
    return stages


class Opportunity(TenantScoped, Timestamps, Versioned, Owned):
    """A deal with an account, moving through the stages of one pipeline.

    ``status`` follows the stage's kind; ``stage_entered_at`` is when the deal reached its
    current stage (the history keeps every move); ``stalled_at`` is set by the stalled-deal
    job and cleared by the next move.
    """

    __tablename__ = "sales_opportunities"

    name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    pipeline_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stage_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    #: The furthest non-lost stage reached in this pipeline (what the funnel counts).
    furthest_stage_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(8), default=OPEN)
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    #: Whether the amount is the sum of the product lines (else it is what was typed in).
    amount_from_lines: Mapped[bool] = mapped_column(Boolean, default=True,
                                                    server_default=true())
    currency: Mapped[str] = mapped_column(String(3))
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    probability: Mapped[int] = mapped_column(Integer)
    forecast_category: Mapped[str] = mapped_column(String(16), default="pipeline")
    source: Mapped[str | None] = mapped_column(String(100))
    campaign: Mapped[str | None] = mapped_column(String(200))
    next_step: Mapped[str | None] = mapped_column(String(500))
    win_loss_reason: Mapped[str | None] = mapped_column(String(500))
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)
    stalled_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("sales_opportunities"),
        custom_values_index("sales_opportunities"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("pipeline_id", "sales_pipelines"),
        tenant_fk("stage_id", "sales_stages"),
        tenant_fk("furthest_stage_id", "sales_stages"),
        tenant_fk("price_list_id", "sales_price_lists"),
        Index("ix_sales_opportunities_account", "tenant_id", "account_id"),
        Index("ix_sales_opportunities_stage", "tenant_id", "stage_id", "stage_entered_at"),
        # A rep's home page: their open deals by stage and currency, the sum of their
        # amounts and how many stalled, read from the index alone (PostgreSQL) however many
        # deals the rep owns (bench/home_dashboard.py).
        Index("ix_sales_opportunities_owner_open", "tenant_id", "owner_id", "status",
              "stage_id", "currency", postgresql_include=["amount", "stalled_at", "closed_at"]),
        # A rep's stalled deals, longest stalled first, in the index's order (only the stalled
        # ones are indexed).
        Index("ix_sales_opportunities_owner_stalled", "tenant_id", "owner_id", "stalled_at", "id",
              postgresql_where=text("stalled_at IS NOT NULL"),
              sqlite_where=text("stalled_at IS NOT NULL")),
        # The forecast: open and closed deals of a pipeline by close month and owner.
        Index("ix_sales_opportunities_forecast", "tenant_id", "pipeline_id",
              "expected_close_date", "owner_id"),
        # The funnel: deals of a pipeline by when they were opened.
        Index("ix_sales_opportunities_funnel", "tenant_id", "pipeline_id", "created_at"),
    )


class OpportunityContact(TenantScoped, Timestamps, Versioned):
    """A contact's part in a deal: economic buyer, user, technical evaluator, coach…"""

    __tablename__ = "sales_opportunity_contacts"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    role: Mapped[str] = mapped_column(String(32))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        tenant_fk("opportunity_id", "sales_opportunities", ondelete="CASCADE"),
        tenant_fk("contact_id", "contacts"),
        UniqueConstraint("tenant_id", "opportunity_id", "contact_id"),
        Index("ix_sales_opportunity_contacts_contact", "tenant_id", "contact_id"),
    )


class OpportunityMember(TenantScoped, Timestamps, Versioned):
    """A colleague working a deal with its owner (sales engineer, support, executive…)."""

    __tablename__ = "sales_opportunity_members"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    role: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        tenant_fk("opportunity_id", "sales_opportunities", ondelete="CASCADE"),
        tenant_fk("user_id", "users"),
        UniqueConstraint("tenant_id", "opportunity_id", "user_id"),
        Index("ix_sales_opportunity_members_user", "tenant_id", "user_id"),
    )


class OpportunityLine(TenantScoped, Timestamps, Versioned):
    """A product of the catalogue on a deal: quantity × unit price less the discount."""

    __tablename__ = "sales_opportunity_lines"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    quantity: Mapped[Decimal] = mapped_column(AMOUNT)
    unit_price: Mapped[Decimal] = mapped_column(AMOUNT)
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(AMOUNT)

    __table_args__ = (
        tenant_fk("opportunity_id", "sales_opportunities", ondelete="CASCADE"),
        tenant_fk("product_id", "products"),
        Index("ix_sales_opportunity_lines_opportunity", "tenant_id", "opportunity_id"),
        Index("ix_sales_opportunity_lines_product", "tenant_id", "product_id"),
    )


class Competitor(TenantScoped, Timestamps, Versioned):
    """A competitor on a deal, with its strengths, weaknesses, opportunities and threats."""

    __tablename__ = "sales_competitors"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(200))
    strengths: Mapped[str | None] = mapped_column(Text)
    weaknesses: Mapped[str | None] = mapped_column(Text)
    opportunities: Mapped[str | None] = mapped_column(Text)
    threats: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        tenant_fk("opportunity_id", "sales_opportunities", ondelete="CASCADE"),
        Index("ix_sales_competitors_opportunity", "tenant_id", "opportunity_id"),
    )


class StageVisit(TenantScoped):
    """One stay of a deal in a stage: entered, and exited (``None`` while it is there)."""

    __tablename__ = "sales_stage_history"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stage_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)
    exited_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    moved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (
        tenant_fk("opportunity_id", "sales_opportunities", ondelete="CASCADE"),
        tenant_fk("stage_id", "sales_stages"),
        tenant_fk("moved_by", "users"),
        Index("ix_sales_stage_history_opportunity", "tenant_id", "opportunity_id",
              "entered_at"),
        Index("ix_sales_stage_history_stage", "tenant_id", "stage_id"),
    )


MODELS = [Pipeline, Stage, Opportunity, OpportunityContact, OpportunityMember, OpportunityLine,
          Competitor, StageVisit]
