"""Tables the web UI owns."""

from __future__ import annotations

import uuid

from sqlalchemy import String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped, Timestamps, tenant_fk


class SavedView(TenantScoped, Timestamps):
    """A user's named list query (filters and sort) for one entity's list page."""

    __tablename__ = "saved_views"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    entity: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(String(2000))

    __table_args__ = (
        tenant_fk("user_id", "users", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "user_id", "entity", "name"),
    )
