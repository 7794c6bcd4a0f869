"""The customer pool's tables: the tenant's pool rules, its claim limits and the record of
every move of an account in or out of the pool.

Same rules as :mod:`patron_sales.models.deals`: ``sales_`` tables, ``tenant_id`` leading every key
and index, references through :func:`~patron.sdk.tenant_fk`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import JSONType, TenantScoped, Timestamps, UTCDateTimeColumn, Versioned, tenant_fk

NO_FOLLOW_UP, NO_WIN = "no_follow_up", "no_win"
#: What a rule watches: no activity logged on the account, or no deal won with it.
RULE_KINDS = (NO_FOLLOW_UP, NO_WIN)


class PoolRule(TenantScoped, Timestamps, Versioned):
    """Return an account to the pool when nothing of ``kind`` happened for ``days`` days.

    ``account_status`` limits the rule to accounts of one status (the account's status is
    what the customer level is here: prospect, active, inactive); ``None`` applies it to all.
    """

    __tablename__ = "sales_pool_rules"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    days: Mapped[int] = mapped_column(Integer)
    account_status: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_sales_pool_rules_active", "tenant_id", "active"),)


class PoolSettings(TenantScoped, Timestamps, Versioned):
    """The tenant's pool settings: ``claim_limits`` maps a role id (a string) to how many
    accounts claimed from the pool a user of that role may hold; a role not listed has no
    limit."""

    __tablename__ = "sales_pool_settings"

    claim_limits: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (UniqueConstraint("tenant_id"),)


class PoolMove(TenantScoped):
    """One move of an account: from its owner to the pool (``to_owner_id`` is ``None``) or
    from the pool to the user who claimed it. ``moved_by`` is ``None`` for the scheduled job.
    """

    __tablename__ = "sales_pool_moves"

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    from_owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    to_owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(500))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)
    moved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (
        tenant_fk("account_id", "accounts", ondelete="CASCADE"),
        tenant_fk("from_owner_id", "users"),
        tenant_fk("to_owner_id", "users"),
        tenant_fk("moved_by", "users"),
        Index("ix_sales_pool_moves_account", "tenant_id", "account_id", "moved_at"),
        Index("ix_sales_pool_moves_to_owner", "tenant_id", "to_owner_id"),
    )


MODELS = [PoolRule, PoolSettings, PoolMove]
