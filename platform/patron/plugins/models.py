"""Which modules each tenant has switched on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped
from patron.db.types import UTCDateTime


class TenantModule(TenantScoped):
    """A module's state for one tenant; disabling keeps the row (and the module's data)."""

    __tablename__ = "tenant_modules"

    name: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)
