"""One CSV import: its options, where it stands and what it found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import Owned, TenantScoped, Timestamps, owner_constraints
from patron.db.base import JSONType
from patron.db.types import UTCDateTime

QUEUED = "queued"
VALIDATING = "validating"
IMPORTING = "importing"
DONE = "done"
FAILED = "failed"
STATUSES = (QUEUED, VALIDATING, IMPORTING, DONE, FAILED)
RUNNING = (VALIDATING, IMPORTING)

SKIP = "skip"
UPDATE = "update"
CREATE = "create"
ON_DUPLICATE = (SKIP, UPDATE, CREATE)


class ImportJob(TenantScoped, Timestamps, Owned):
    """A CSV file being imported into one entity; ``owner_id`` is the user who imported it.

    The worker changes the row from two sessions (progress while the import's own transaction
    is open, see :mod:`patron.imports.progress`), so it is deliberately not ``Versioned``.
    ``errors`` keeps the first :data:`patron.imports.errors.MAX_ERRORS` row errors as
    ``{"line", "field", "column", "message"}``; ``error_count`` counts them all.
    """

    __tablename__ = "imports"

    resource: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    on_duplicate: Mapped[str] = mapped_column(String(8), default=SKIP)
    #: CSV column -> field (``custom.<name>`` for custom fields).
    mapping: Mapped[dict] = mapped_column(JSONType, default=dict)
    filename: Mapped[str] = mapped_column(String(255))
    #: The upload, relative to ``PATRON_HOME``; removed once the import has finished.
    file_path: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int | None] = mapped_column(Integer)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSONType, default=list)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Why the import failed or what it concluded, in one sentence for the user.
    detail: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Refreshed with every progress report; a running import whose heartbeat is old belongs
    #: to a worker that died, and another worker takes it over.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def counts(self) -> dict[str, int]:
        """Rows that created, updated or skipped a record (or would, in a dry run)."""
        return {"created": self.created_count, "updated": self.updated_count,
                "skipped": self.skipped_count}

    __table_args__ = (
        *owner_constraints("imports"),
        Index("ix_imports_status", "tenant_id", "status"),
    )
