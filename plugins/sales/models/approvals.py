"""The sales module's approvals: the tenant's thresholds and the requests for a manager's
approval of a quote or a contract (and the one read of them a schema's dump needs: the
approval status of a page of quotes or contracts).

Same rules as :mod:`patron_sales.models.deals`: ``sales_`` tables, ``tenant_id`` leading
every key and index, references through :func:`~patron.sdk.tenant_fk`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint, Uuid, select
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from patron.sdk import (
    AMOUNT,
    Owned,
    TenantScoped,
    Timestamps,
    UTCDateTimeColumn,
    Versioned,
    db,
    owner_constraints,
    tenant_fk,
)
from patron_sales.models.commerce import Quote
from patron_sales.models.deals import PERCENT


class SalesSettings(TenantScoped, Timestamps, Versioned):
    """The tenant's sales rules: above which quote discount (%) and which contract value (in
    the tenant's currency) the owner's manager must approve before sending or signing.
    ``None`` means no approval is needed."""

    __tablename__ = "sales_settings"

    quote_discount_threshold: Mapped[Decimal | None] = mapped_column(PERCENT)
    contract_value_threshold: Mapped[Decimal | None] = mapped_column(AMOUNT)

    __table_args__ = (UniqueConstraint("tenant_id"),)


#: The states of an approval request.
PENDING, APPROVED, REJECTED, SUPERSEDED = "pending", "approved", "rejected", "superseded"


class Approval(TenantScoped, Timestamps, Versioned, Owned):
    """A request for the owner's manager (the approval's owner) to approve a quote or a
    contract; ``superseded`` once the quote or contract changes after the request."""

    __tablename__ = "sales_approvals"

    quote_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    contract_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(String(500))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)

    __table_args__ = (
        *owner_constraints("sales_approvals"),
        tenant_fk("quote_id", "sales_quotes", ondelete="CASCADE"),
        tenant_fk("contract_id", "sales_contracts", ondelete="CASCADE"),
        tenant_fk("requested_by", "users"),
        Index("ix_sales_approvals_quote", "tenant_id", "quote_id"),
        Index("ix_sales_approvals_contract", "tenant_id", "contract_id"),
    )


def approval_column(kind: type) -> InstrumentedAttribute:
    """The approval's column naming a record of ``kind`` (a quote or a contract)."""
    return Approval.quote_id if issubclass(kind, Quote) else Approval.contract_id


def approval_statuses(records: list[Any]) -> dict[uuid.UUID, str]:
    """The state of the current request of each record (quotes or contracts of one kind; a
    record without an open request is left out), in one query (a list page)."""
    if not records:
        return {}
    column = approval_column(type(records[0]))
    rows = db.session.execute(
        select(column, Approval.status)
        .where(column.in_([record.id for record in records]), Approval.status != SUPERSEDED)
        .order_by(Approval.id.desc())
    ).all()
    statuses: dict[uuid.UUID, str] = {}
    for record_id, status in rows:
        statuses.setdefault(record_id, status)  # the newest request of each record
    return statuses


MODELS = [SalesSettings, Approval]
