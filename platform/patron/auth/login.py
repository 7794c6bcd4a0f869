"""Checking credentials for the web sign-in and ``POST /api/v1/auth/token``."""

from __future__ import annotations

from patron.auth.models import User
from patron.auth.passwords import verify_nobody
from patron.auth.services import authenticate_password
from patron.auth.throttling import AccountLocked
from patron.db.tenant_context import set_current_tenant
from patron.events import emit
from patron.tenancy.services import tenant_by_slug


def sign_in(tenant_slug: str, email: str, password: str, interface: str) -> User | None:
    """The active user of the active tenant ``tenant_slug`` with these credentials, or None
    (:class:`~patron.auth.throttling.AccountLocked` after too many wrong passwords).

    On success the tenant context is set for the rest of the request. ``interface`` (web, api)
    is recorded with the sign-in.
    """
    tenant = tenant_by_slug((tenant_slug or "").strip().lower())
    if tenant is None or not tenant.is_active:
        verify_nobody(password)
        return None
    set_current_tenant(tenant.id)
    try:
        user = authenticate_password(email, password)
    except AccountLocked:
        set_current_tenant(None)
        raise
    if user is None:
        set_current_tenant(None)
        return None
    emit("user.signed_in", {"id": str(user.id), "email": user.email, "actor_id": str(user.id),
                            "interface": interface})
    return user
