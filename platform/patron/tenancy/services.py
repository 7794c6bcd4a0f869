"""Looking up and provisioning tenants."""

from __future__ import annotations

import re
import uuid

from flask import g

from patron.config_cache import remember_config_version
from patron.db import db, require_tenant_id
from patron.tenancy.models import Tenant

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class TenantError(ValueError):
    """A tenant could not be created or changed; the message is for the user."""


def active_tenant(tenant_id: uuid.UUID) -> Tenant | None:
    """The tenant with ``tenant_id`` if it exists and is active (cached per request)."""
    cache = g.setdefault("_patron_tenants", {})
    if tenant_id not in cache:
        cache[tenant_id] = tenant = db.session.get(Tenant, tenant_id)
        if tenant is not None:
            remember_config_version(tenant_id, tenant.config_version)
    tenant = cache[tenant_id]
    return tenant if tenant is not None and tenant.is_active else None


def tenant_by_slug(slug: str) -> Tenant | None:
    """The tenant called ``slug``, active or not."""
    return db.session.execute(db.select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none()


def validate_slug(slug: str) -> str:
    """Return ``slug`` if it is a valid, free tenant slug; raise :class:`TenantError` if not."""
    if not SLUG.match(slug or ""):
        raise TenantError(
            f"invalid tenant slug {slug!r}: use 1-63 lower-case letters, digits and hyphens"
        )
    if tenant_by_slug(slug) is not None:
        raise TenantError(f"tenant {slug!r} already exists")
    return slug


def current_tenant() -> Tenant:
    """The tenant of the current request or job (its row read once per request)."""
    tenant_id = require_tenant_id()
    return active_tenant(tenant_id) or db.session.get(Tenant, tenant_id)


def tenant_currency() -> str:
    """The current tenant's ISO 4217 currency: the default for prices, costs and amounts."""
    return current_tenant().currency


def change_tenant(data: dict) -> Tenant:
    """Apply loaded settings ``data`` (name, locale, time zone, currency) to the current
    tenant (the row's version is checked when it is written)."""
    tenant = db.session.get(Tenant, require_tenant_id())
    for key, value in data.items():
        setattr(tenant, key, value)
    db.session.flush()
    return tenant
