"""The search index: one document per record of every registered entity."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import Owned, TenantScoped, owner_constraints
from patron.db.fulltext import DOCUMENTS
from patron.db.mixins import utcnow
from patron.db.types import UTCDateTime


class SearchDocument(TenantScoped, Owned):
    """What global search matches for one record: its title, its words and its owner.

    ``owner_id`` mirrors the record's owner, so data scopes filter documents the way they
    filter records. ``keywords`` holds derived search keys (the digits of phone numbers, see
    :mod:`patron.search.text`): indexed, never shown. The full-text index over ``title``,
    ``content`` and ``keywords`` is made per database by hand (:mod:`patron.db.fulltext`).
    """

    __tablename__ = DOCUMENTS

    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("tenant_id", "entity", "record_id"),
        *owner_constraints(DOCUMENTS),
        # PostgreSQL: matched through the owner's functions (patron.db.fulltext), which
        # limit every match to the tenant setting themselves.
        {"info": {"rls_owner_reads": "global search functions"}},
    )
