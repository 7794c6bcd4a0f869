"""Mixins every tenant-owned model is built from.

``tenant_id`` leads every primary key, unique constraint and foreign key of a tenant-owned
table (DESIGN.md invariant 1), so the database itself refuses cross-tenant references and the
schema can be distributed by tenant.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, Integer, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from patron.db.base import Base
from patron.db.ids import new_id
from patron.db.types import UTCDateTime

#: Columns the mixins keep that record bookkeeping rather than data: a change to them alone is
#: no change (the audit log and change diffs leave them out).
BOOKKEEPING_FIELDS = frozenset({"id", "version", "created_at", "updated_at"})


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class TenantScoped(Base):
    """A row owned by one tenant: ``(tenant_id, id)`` primary key, scoped in every query."""

    __abstract__ = True

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)


class Timestamps:
    """``created_at`` and ``updated_at`` in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )


class Versioned:
    """Optimistic locking (invariant 4): every UPDATE checks and bumps ``version``."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805 - SQLAlchemy declared_attr signature
        return {"version_id_col": cls.version}


class Owned:
    """A record with an owner, the anchor of data-scope filtering (see :mod:`patron.rbac`).

    Add :func:`owner_constraints` to the model's ``__table_args__``.
    """

    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


def owner_constraints(table: str) -> tuple:
    """The owner foreign key and the ``(tenant_id, owner_id)`` index of an owned table."""
    return (tenant_fk("owner_id", "users"), Index(f"ix_{table}_owner", "tenant_id", "owner_id"))


def tenant_fk(
    columns: str | list[str], table: str, *, ondelete: str | None = None
) -> ForeignKeyConstraint:
    """Foreign key from this tenant-owned table to ``table`` that includes ``tenant_id``.

    >>> tenant_fk("owner_id", "users")   # (tenant_id, owner_id) -> users(tenant_id, id)
    """
    columns = [columns] if isinstance(columns, str) else columns
    return ForeignKeyConstraint(
        ["tenant_id", *columns],
        [f"{table}.tenant_id", *(f"{table}.id" for _ in columns)],
        ondelete=ondelete,
    )
