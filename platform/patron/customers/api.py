"""``/accounts``."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.api import OwnedRecordSchema, PatronBlueprint, ResourceSpec, register_crud
from patron.customers.models import Account

blp = PatronBlueprint("customers", __name__, description="Customer master")


class AccountSchema(OwnedRecordSchema):
    """An account."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(validate=validate.OneOf(["company", "individual"]))
    domain = fields.String(allow_none=True, validate=validate.Length(max=253))
    industry = fields.String(allow_none=True, validate=validate.Length(max=100))
    phone = fields.String(allow_none=True, validate=validate.Length(max=50))
    website = fields.Url(allow_none=True)
    custom = fields.Dict(keys=fields.String(), metadata={"description": "Custom fields"})


register_crud(blp, ResourceSpec(
    name="accounts", model=Account, schema=AccountSchema, permission="core.accounts",
    event="account", filterable=("name", "domain", "industry", "kind", "owner_id", "created_at"),
    searchable=("name", "domain"), sortable=("name", "domain", "created_at", "updated_at"),
    entity="account",
))
