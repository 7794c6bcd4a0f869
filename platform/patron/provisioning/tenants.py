"""Creating a tenant with its default roles and first administrator."""

from __future__ import annotations

from patron.auth.models import User
from patron.db import db, new_id, tenant_context
from patron.rbac.services import seed_default_roles
from patron.rbac.users import create_user
from patron.tenancy.models import Tenant
from patron.tenancy.services import validate_slug


def create_tenant(
    slug: str,
    name: str,
    *,
    admin_email: str,
    admin_password: str | None,
    locale: str = "en",
    timezone: str = "UTC",
    currency: str = "USD",
    plan: str = "standard",
) -> tuple[Tenant, User]:
    """Create a tenant, seed its default roles and add its first admin; flushes, never commits.

    The new tenant is current while its row is written: on PostgreSQL a transaction writes
    only its own tenant's row (``patron.db.postgres``)."""
    tenant = Tenant(
        id=new_id(), slug=validate_slug(slug), name=name or slug, locale=locale,
        timezone=timezone, currency=currency, plan=plan,
    )
    with tenant_context(tenant.id):
        db.session.add(tenant)
        db.session.flush()
        seed_default_roles()
        admin = create_user(admin_email, password=admin_password, role="admin", name="Admin")
    return tenant, admin
