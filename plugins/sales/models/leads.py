"""The sales module's leads: people and companies that might buy, before they are qualified.

Same rules as :mod:`patron_sales.models.deals`: a ``sales_`` table, ``tenant_id`` leading
every key and index, references through :func:`~patron.sdk.tenant_fk`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, Uuid, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import (
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


class Lead(TenantScoped, Timestamps, Versioned, Owned):
    """A person or company that might buy, before it is qualified.

    Conversion (:mod:`patron_sales.services.conversion`) records its lineage: the account,
    contact and opportunity it became.
    """

    __tablename__ = "sales_leads"

    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    company: Mapped[str | None] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(253))
    website: Mapped[str | None] = mapped_column(String(500))
    industry: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="new")
    rating: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("sales_leads"),
        custom_values_index("sales_leads"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("contact_id", "contacts"),
        tenant_fk("opportunity_id", "sales_opportunities"),
        Index("ix_sales_leads_status", "tenant_id", "status"),
        Index("ix_sales_leads_email", "tenant_id", "email"),
        Index("ix_sales_leads_last_name", "tenant_id", "last_name"),
    )

    @hybrid_property
    def full_name(self) -> str:
        """First and last name, as the lead is addressed."""
        return f"{self.first_name or ''} {self.last_name}".strip()

    @full_name.inplace.expression
    @classmethod
    def _full_name_expression(cls):
        return func.trim(func.coalesce(cls.first_name, "") + " " + cls.last_name)


MODELS = [Lead]
