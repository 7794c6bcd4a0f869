"""One row per audited action."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped
from patron.db.base import JSONType
from patron.db.mixins import utcnow
from patron.db.types import UTCDateTime


class AuditEvent(TenantScoped):
    """An action on a record (or on the tenant), with the changed fields.

    ``changes`` maps a field to ``[before, after]``; ``actor_id`` is None for the system (the
    worker, a manifest applied from the CLI). Rows are never updated.
    """

    __tablename__ = "audit_events"

    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    interface: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    changes: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        Index("ix_audit_events_record", "tenant_id", "entity", "record_id"),
        Index("ix_audit_events_actor", "tenant_id", "actor_id"),
    )
