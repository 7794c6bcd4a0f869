"""``/tenant``: the current tenant's settings."""

from __future__ import annotations

from patron.api.blueprint import PatronBlueprint
from patron.db import db, require_tenant_id
from patron.rbac.access import require, require_user
from patron.tenancy.models import Tenant
from patron.tenancy.schemas import TenantSchema
from patron.tenancy.services import change_tenant

blp = PatronBlueprint("tenant", __name__, description="The current tenant")


def _tenant() -> Tenant:
    return db.session.get(Tenant, require_tenant_id())


@blp.route("/tenant")
@blp.response(200, TenantSchema)
def get_tenant():
    """The current tenant's settings"""
    require_user()
    return _tenant()


@blp.route("/tenant", methods=["PATCH"])
@blp.arguments(TenantSchema(partial=True))
@blp.response(200, TenantSchema)
def update_tenant(data):
    """Change the tenant's name, locale, time zone or currency (admin)"""
    require("core.tenant.update")
    return change_tenant(data)
