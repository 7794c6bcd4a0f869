"""Calendar feed keys: the secret in the address a calendar app subscribes to
(``/calendar/feed/<key>.ics``), since such apps cannot sign in.

A key is a credential like an API token (``cal_<tenant hex>_<secret>``, kept only as its
SHA-256 hash on the user); it opens that one feed and nothing else, and making a new one
revokes the old. A deactivated user's or suspended tenant's key opens nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from patron.auth.models import User
from patron.auth.secrets import digest, make_credential, tenant_of
from patron.db import db, tenant_context
from patron.db.tenant_context import set_current_tenant
from patron.tenancy.services import active_tenant

KIND = "cal"


def new_calendar_key(user: User) -> str:
    """A new feed key for ``user`` (the previous one stops working); shown once."""
    raw, hashed = make_credential(KIND, user.tenant_id)
    user.calendar_key_hash = hashed
    db.session.flush()
    return raw


def forget_calendar_key(user: User) -> None:
    """Stop ``user``'s feed: its address opens nothing any more."""
    user.calendar_key_hash = None
    db.session.flush()


def calendar_key_user(raw: str) -> User | None:
    """The active user whose feed ``raw`` opens, with the tenant context set; else None."""
    tenant_id = tenant_of(KIND, raw)
    if tenant_id is None:
        return None
    with tenant_context(tenant_id):
        user = db.session.execute(select(User).where(
            User.calendar_key_hash == digest(raw), User.is_active.is_(True))
        ).scalar_one_or_none()
        if user is None or active_tenant(tenant_id) is None:
            return None
    set_current_tenant(tenant_id)
    return user
