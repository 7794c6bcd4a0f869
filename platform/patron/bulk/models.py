"""One bulk action (:class:`BulkJob`) and the records it goes over (:class:`BulkItem`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import Owned, TenantScoped, Timestamps, owner_constraints, tenant_fk
from patron.db.base import JSONType
from patron.db.types import UTCDateTime

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)

#: A record's result: changed (or deleted), or refused with the reason in ``message``.
CHANGED = "changed"
REFUSED = "refused"
OUTCOMES = (CHANGED, REFUSED)


class BulkJob(TenantScoped, Timestamps, Owned):
    """An action over a selection of one entity's records; ``owner_id`` started it and the
    job runs as them. Progress is written by the worker as it goes (not ``Versioned``)."""

    __tablename__ = "bulk_jobs"

    entity: Mapped[str] = mapped_column(String(64))
    #: ``set`` a field, ``add`` a value to a multi-select field, ``delete`` the records.
    action: Mapped[str] = mapped_column(String(16))
    #: The field ``set`` or ``add`` changes (``custom.<name>`` for a custom field).
    field: Mapped[str | None] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    refused_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Why the job failed as a whole, in one sentence for the user.
    detail: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        *owner_constraints("bulk_jobs"),
        Index("ix_bulk_jobs_status", "tenant_id", "status"),
    )


class BulkItem(TenantScoped):
    """One record of a job's selection and what became of it (``outcome`` is empty until
    the job reaches it)."""

    __tablename__ = "bulk_items"

    job_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    outcome: Mapped[str | None] = mapped_column(String(16))
    #: The field a refusal is about (``None``: the record as a whole).
    field: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        tenant_fk("job_id", "bulk_jobs", ondelete="CASCADE"),
        # The job walks its items in record order (keyset on this index); the results page
        # reads the refused ones of one job.
        UniqueConstraint("tenant_id", "job_id", "record_id"),
        Index("ix_bulk_items_outcome", "tenant_id", "job_id", "outcome"),
    )
