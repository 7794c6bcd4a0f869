"""Server-side browser sessions: revocable, renewed at every login, and of limited life.

Flask-Login keeps only the session id in the signed cookie (and in the remember-me cookie);
the row behind it can be revoked, so logout, a password change or deactivation end the
session everywhere, and a replayed old cookie is refused.

A session ends on the server, whatever the cookie says, once it has not been used for
``PATRON_SESSION_IDLE_MINUTES`` (8 hours) or is ``PATRON_SESSION_MAX_HOURS`` old (24): a
browser left signed in overnight is signed out. One opened with "remember me" lasts
``PATRON_REMEMBER_DAYS`` (30), as its cookie does, idle or not.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import update

from patron.auth.models import User, UserSession
from patron.auth.secrets import digest, make_credential, tenant_of
from patron.db import db, tenant_context
from patron.db.tenant_context import set_current_tenant
from patron.tenancy.services import active_tenant

KIND = "pss"


#: How stale ``last_seen_at`` may be before a request writes it again (not every request).
SEEN_EVERY = timedelta(minutes=5)


def start_session(user: User, remember: bool = False) -> str:
    """Open a new session for ``user`` (one that lasts ``PATRON_REMEMBER_DAYS`` if
    ``remember``) and return its id (the user object carries it)."""
    raw, key_hash = make_credential(KIND, user.tenant_id)
    now = datetime.now(UTC)
    db.session.add(UserSession(user_id=user.id, key_hash=key_hash, created_at=now,
                               last_seen_at=now, remembered=remember))
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
        if row is not None and _expired(row, datetime.now(UTC)):
            row.revoked_at = datetime.now(UTC)
            row = None
        user = db.session.get(User, (tenant_id, row.user_id)) if row else None
    if user is None or not user.is_active:
        return None
    if row.last_seen_at is None or datetime.now(UTC) - row.last_seen_at > SEEN_EVERY:
        row.last_seen_at = datetime.now(UTC)
    set_current_tenant(tenant_id)
    user.session_id = raw
    return user


def _expired(row: UserSession, now: datetime) -> bool:
    """Whether the session has run out: past its remember-me days, or idle or old."""
    config = current_app.config
    if row.remembered:
        return now - row.created_at > timedelta(days=config["PATRON_REMEMBER_DAYS"])
    idle = now - (row.last_seen_at or row.created_at)
    return (idle > timedelta(minutes=config["PATRON_SESSION_IDLE_MINUTES"])
            or now - row.created_at > timedelta(hours=config["PATRON_SESSION_MAX_HOURS"]))


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
