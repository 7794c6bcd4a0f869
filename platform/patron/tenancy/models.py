"""The tenant table: global (not tenant-owned), looked up by slug or id."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, deferred, mapped_column

from patron.db import Base, new_id
from patron.db.mixins import utcnow
from patron.db.types import UTCDateTime


class Tenant(Base):
    """A customer organisation; every tenant-owned row points at one."""

    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    plan: Mapped[str] = mapped_column(String(32), default="standard")
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The letterhead of quotes and other documents the tenant sends: its postal address,
    #: tax number and logo. The logo is kept in the row (a few hundred KB at most) rather than on
    #: disk, so every app node serves it without a shared file system; it is loaded only
    #: when asked for (``deferred``), never with the tenant of each request.
    address: Mapped[str | None] = mapped_column(Text)
    tax_number: Mapped[str | None] = mapped_column(String(64))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_type: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(nullable=False, default=1)
    #: Bumped with every change to the tenant's configuration (modules, custom fields,
    #: roles, webhooks): the key of :mod:`patron.config_cache`.
    config_version: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_active(self) -> bool:
        """Whether the tenant may sign in and be served (suspended tenants may not)."""
        return self.status == "active"
