"""Accounts: the companies and individuals a tenant does business with."""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import Owned, TenantScoped, Timestamps, Versioned, owner_constraints
from patron.db.base import JSONType


class Account(TenantScoped, Timestamps, Versioned, Owned):
    """A customer organisation or person."""

    __tablename__ = "accounts"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="company")
    domain: Mapped[str | None] = mapped_column(String(253))
    industry: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(500))
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("accounts"),
        Index("ix_accounts_name", "tenant_id", "name"),
        Index("ix_accounts_domain", "tenant_id", "domain"),
    )
