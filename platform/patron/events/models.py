"""The transactional outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped
from patron.db.base import JSONType
from patron.db.mixins import utcnow
from patron.db.types import UTCDateTime

PENDING = "pending"
DELIVERED = "delivered"
DEAD = "dead"


class OutboxMessage(TenantScoped):
    """One side effect to deliver once, at least: an event for one target of one channel.

    ``idempotency_key`` is stable across retries so the receiver can drop duplicates.
    """

    __tablename__ = "outbox_messages"

    channel: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    event_name: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt at this message."""
        return str(self.id)

    __table_args__ = (
        # The worker's claim query reads due messages across tenants: the one index that
        # does not lead with tenant_id, on purpose (marked for the schema check).
        Index("ix_outbox_messages_due", "status", "next_attempt_at",
              info={"cross_tenant": "outbox claim queue"}),
        Index("ix_outbox_messages_tenant_status", "tenant_id", "status"),
        # Read across tenants only by the owner's claim function (migration 0018).
        {"info": {"rls_owner_reads": "the outbox claim function"}},
    )
