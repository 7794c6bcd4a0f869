"""The one table of the Hello module."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import Owned, TenantScoped, Timestamps, Versioned, owner_constraints


class Greeting(TenantScoped, Timestamps, Versioned, Owned):
    """A greeting a user wrote; tenant-owned, owned by its author, optimistically locked.

    The table carries the module's prefix (``hello_``), as every plugin table does
    (docs/STYLE.md), and is created by the module's own Alembic branch.
    """

    __tablename__ = "hello_greetings"

    message: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(16), default="en")

    __table_args__ = (*owner_constraints("hello_greetings"),)
