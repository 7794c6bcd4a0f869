"""The notification store."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped, tenant_fk
from patron.db.mixins import utcnow
from patron.db.types import UTCDateTime


class Notification(TenantScoped):
    """Something that happened and concerns ``user_id``, said in their language when it
    happened (``text``), with the page it is about (``link``, a path of this site)."""

    __tablename__ = "notifications"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    #: What kind of thing happened (``sales.approval_requested``): for filters and mail.
    kind: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it went out by mail (at once, or in a daily digest); ``None``: not (yet).
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        tenant_fk("user_id", "users", ondelete="CASCADE"),
        # The bell's count and the list: a user's notifications, newest first.
        Index("ix_notifications_user", "tenant_id", "user_id", "created_at"),
    )
