"""``/tenant``: the current tenant's settings."""

from __future__ import annotations

import zoneinfo

from marshmallow import ValidationError, fields, validate

from patron.api import PatronBlueprint
from patron.api.schemas import BaseSchema
from patron.db import db, require_tenant_id
from patron.rbac.access import require, require_user
from patron.tenancy.models import Tenant
from patron.web.i18n import LOCALES

blp = PatronBlueprint("tenant", __name__, description="The current tenant")


def _valid_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Not a known IANA time zone.")


class TenantSchema(BaseSchema):
    """Tenant settings (slug, plan and status are the operator's)."""

    id = fields.UUID(dump_only=True)
    slug = fields.String(dump_only=True)
    name = fields.String(validate=validate.Length(min=1, max=200))
    locale = fields.String(validate=validate.OneOf(LOCALES))
    timezone = fields.String(validate=_valid_timezone)
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"))
    plan = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)


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
    tenant = _tenant()
    for key, value in data.items():
        setattr(tenant, key, value)
    db.session.flush()
    return tenant
