"""Users, their server-side sessions and API tokens (all tenant-owned)."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped, Timestamps, Versioned, tenant_fk
from patron.db.base import JSONType
from patron.db.types import UTCDateTime


class User(TenantScoped, Timestamps, Versioned, UserMixin):
    """A person who signs in to one tenant.

    ``report_path`` is the materialised path of the reporting line (``/<top>/.../<self>/``):
    "me and everyone below me" is one indexed prefix match, whatever the depth.
    """

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    role_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    department_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    report_path: Mapped[str] = mapped_column(String(2000), default="")
    #: Wrong passwords in a row, and when the last was (:mod:`patron.auth.throttling`).
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: How the user arranged the home page: ``{"order": [keys], "hidden": [keys]}``
    #: (:mod:`patron.web.home`); ``None``: the defaults.
    home_layout: Mapped[dict | None] = mapped_column(JSONType)
    #: Whether notifications are also mailed: ``never``, ``immediately`` or ``daily``
    #: (:mod:`patron.notifications`).
    notify_by_email: Mapped[str] = mapped_column(String(16), default="never",
                                                 server_default="never")
    #: The SHA-256 of the user's calendar feed key (:mod:`patron.auth.calendar_keys`).
    calendar_key_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("tenant_id", "email"),
        tenant_fk("role_id", "roles"),
        tenant_fk("department_id", "departments"),
        tenant_fk("manager_id", "users"),
        Index("ix_users_department", "tenant_id", "department_id"),
        Index("ix_users_report_path", "tenant_id", "report_path"),
    )

    #: The browser session this user object was loaded for (see :mod:`patron.auth.sessions`).
    session_id = None  # not a column: set per request by the session loader

    def get_id(self) -> str | None:
        """Flask-Login stores the session id, not the user id: revoking it ends the session."""
        return self.session_id


class UserSession(TenantScoped):
    """A signed-in browser session; revoking the row ends the session and its remember-me."""

    __tablename__ = "user_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Signed in with "remember me": lasts its days, idle or not.
    remembered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: When it was last used, to the few minutes (:data:`patron.auth.sessions.SEEN_EVERY`).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        tenant_fk("user_id", "users", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "key_hash"),
        Index("ix_user_sessions_user", "tenant_id", "user_id"),
    )


class ApiToken(TenantScoped, Timestamps):
    """A named bearer token of one user; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(16))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uses: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        tenant_fk("user_id", "users", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "token_hash"),
        # A user's tokens: listed, counted per hour, revoked at a password change, and
        # deleted with the user (the foreign key's cascade).
        Index("ix_api_tokens_user", "tenant_id", "user_id"),
    )
