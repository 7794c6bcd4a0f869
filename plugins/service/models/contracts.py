"""Service contracts and warranties: what an account is covered for (all its products, or
one), from when to when, and at which SLA tier (a policy)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import JSONType, TenantScoped, Timestamps, Versioned, tenant_fk

CONTRACT, WARRANTY = "contract", "warranty"
CONTRACT_KINDS = (CONTRACT, WARRANTY)


class ServiceContract(TenantScoped, Timestamps, Versioned):
    """Coverage of an account (for one product, or all when ``product_id`` is empty) from
    ``starts_on`` to ``ends_on`` (both included), at the SLA tier ``sla_policy_id``."""

    __tablename__ = "service_contracts"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=CONTRACT)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    sla_policy_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        tenant_fk("account_id", "accounts"),
        tenant_fk("product_id", "products"),
        tenant_fk("sla_policy_id", "service_sla_policies"),
        Index("ix_service_contracts_account", "tenant_id", "account_id", "ends_on"),
    )


MODELS = [ServiceContract]
