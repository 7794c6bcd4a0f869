"""Looking up and provisioning tenants."""

from __future__ import annotations

import re
import uuid

from flask import g, has_app_context

from patron.db import db
from patron.tenancy.models import Tenant

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class TenantError(ValueError):
    """A tenant could not be created or changed; the message is for the user."""


def active_tenant(tenant_id: uuid.UUID) -> Tenant | None:
    """The tenant with ``tenant_id`` if it exists and is active (cached per request)."""
    cache = g.setdefault("_patron_tenants", {})
    if tenant_id not in cache:
        cache[tenant_id] = db.session.get(Tenant, tenant_id)
    tenant = cache[tenant_id]
    return tenant if tenant is not None and tenant.is_active else None


def loaded_tenant(tenant_id: uuid.UUID) -> Tenant | None:
    """The tenant :func:`active_tenant` found earlier in this context (sign-in does), without
    asking the database; None when nobody looked it up."""
    return g.get("_patron_tenants", {}).get(tenant_id) if has_app_context() else None


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
