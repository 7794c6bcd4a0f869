"""Server-side browser sessions: revocable, renewed at every login.

Flask-Login keeps only the session id in the signed cookie (and in the remember-me cookie);
the row behind it can be revoked, so logout, a password change or deactivation end the
session everywhere, and a replayed old cookie is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from patron.auth.models import User, UserSession
from patron.auth.secrets import digest, make_credential, tenant_of
from patron.db import db, tenant_context
from patron.db.tenant_context import set_current_tenant
from patron.tenancy.services import active_tenant

KIND = "pss"


def start_session(user: User) -> str:
    """Open a new session for ``user`` and return its id (the user object carries it)."""
    raw, key_hash = make_credential(KIND, user.tenant_id)
    db.session.add(
        UserSession(user_id=user.id, key_hash=key_hash, created_at=datetime.now(UTC))
    )
    db.session.flush()
    user.session_id = raw
    return raw


def load_session_user(raw: str) -> User | None:
    """The active user of a live session id, with the tenant context set; None otherwise."""
    tenant_id = tenant_of(KIND, raw)
    if tenant_id is None:
        return None
    tenant = active_tenant(tenant_id)
    if tenant is None:
        return None
    with tenant_context(tenant_id):
        row = db.session.execute(
            db.select(UserSession).where(
                UserSession.key_hash == digest(raw), UserSession.revoked_at.is_(None)
            )
        ).scalar_one_or_none()
        user = db.session.get(User, (tenant_id, row.user_id)) if row else None
    if user is None or not user.is_active:
        return None
    set_current_tenant(tenant_id)
    user.session_id = raw
    return user


def revoke_session(raw: str) -> None:
    """End one session (logout)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.key_hash == digest(raw), UserSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def revoke_user_sessions(user: User, keep: str | None = None) -> None:
    """End every session of ``user`` except ``keep`` (password change, deactivation)."""
    statement = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep:
        statement = statement.where(UserSession.key_hash != digest(keep))
    db.session.execute(statement.values(revoked_at=datetime.now(UTC)))
