"""The tenant's settings as the API and manifests read and write them."""

from __future__ import annotations

import zoneinfo

from marshmallow import ValidationError, fields, validate

from patron.i18n import LOCALES
from patron.schemas import BaseSchema


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
    address = fields.String(allow_none=True, validate=validate.Length(max=500), metadata={
        "description": "Postal address on the letterhead of quotes (one line per line)"})
    tax_number = fields.String(allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "Tax or VAT number on the letterhead"})
    has_logo = fields.Function(lambda tenant: tenant.logo_type is not None, dump_only=True,
                               metadata={"description": "Whether a letterhead logo is set "
                                                        "(PUT /tenant/logo)"})
    plan = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
