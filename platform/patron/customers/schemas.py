"""API schemas of the customer master."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.rbac.field_security import secured
from patron.schemas import (
    CURRENCY,
    PHONE,
    Amount,
    BaseSchema,
    FileField,
    OwnedRecordSchema,
    RecordSchema,
    UTCDateTime,
    custom_values,
    page_schema,
    text,
)

ACCOUNT_KINDS = ("company", "individual")
ACCOUNT_STATUSES = ("prospect", "active", "inactive")
#: Employee bands.
ACCOUNT_SIZES = ("1-9", "10-49", "50-249", "250-999", "1000-4999", "5000+")
ADDRESS_KINDS = ("billing", "shipping", "visit")
ACTIVITY_KINDS = ("call_in", "call_out", "meeting", "task", "email", "note", "visit")
ACTIVITY_STATUSES = ("open", "done", "cancelled")
PRIORITIES = ("low", "normal", "high")
class AddressSchema(BaseSchema):
    """A postal address of an account."""

    kind = fields.String(required=True, validate=validate.OneOf(ADDRESS_KINDS))
    street = text(200)
    city = text(100)
    region = text(100)
    postcode = text(20)
    country = fields.String(allow_none=True, validate=validate.Regexp(
        r"^[A-Z]{2}$", error="Use the ISO 3166-1 alpha-2 code."))


class AccountSchema(OwnedRecordSchema):
    """An account: a company or an individual."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(validate=validate.OneOf(ACCOUNT_KINDS))
    status = fields.String(validate=validate.OneOf(ACCOUNT_STATUSES))
    domain = text(253)
    industry = text(100)
    size = fields.String(allow_none=True, validate=validate.OneOf(ACCOUNT_SIZES),
                         metadata={"description": "Employee band"})
    phone = text(50)
    website = fields.Url(allow_none=True)
    addresses = fields.List(fields.Nested(AddressSchema))
    parent_id = fields.UUID(allow_none=True, metadata={"description": "The parent account"})
    department_id = fields.UUID(allow_none=True)
    custom = custom_values()


class ContactSchema(OwnedRecordSchema):
    """A person, usually at an account."""

    first_name = text(100)
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    full_name = fields.String(dump_only=True)
    title = text(100)
    email = fields.Email(allow_none=True, metadata={
        "description": "Primary address: the first of emails, lower-cased"})
    emails = fields.List(fields.Email())
    phones = fields.List(fields.String(validate=PHONE))
    account_id = fields.UUID(allow_none=True)
    email_opt_in = fields.Boolean()
    phone_opt_in = fields.Boolean()
    consent_updated_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class ProductSchema(RecordSchema):
    """An item of the catalogue."""

    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    unit = fields.String(validate=validate.Length(min=1, max=32))
    list_price = Amount()
    currency = fields.String(validate=CURRENCY,
                             metadata={"description": "Default: the tenant's currency"})
    active = fields.Boolean()
    custom = custom_values()


class ActivitySchema(OwnedRecordSchema):
    """An entry of the timeline."""

    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = text(20000)
    status = fields.String(validate=validate.OneOf(ACTIVITY_STATUSES))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    due_at = UTCDateTime(allow_none=True)
    start_at = UTCDateTime(allow_none=True)
    end_at = UTCDateTime(allow_none=True)
    account_id = fields.UUID(allow_none=True)
    contact_id = fields.UUID(allow_none=True)
    related_entity = fields.String(allow_none=True, metadata={
        "description": "A registered entity (e.g. a module's deal), with related_id",
        "widget": "entity"})
    related_id = fields.UUID(allow_none=True, metadata={"reference_kind": "related_entity"})
    cost = Amount(allow_none=True)
    currency = fields.String(validate=CURRENCY,
                             metadata={"description": "Default: the tenant's currency"})
    outcome = text(200)
    custom = custom_values()


class UploadSchema(BaseSchema):
    """``POST /attachments``: a multipart body."""

    file = FileField(required=True, metadata={"type": "string", "format": "binary"})
    parent_entity = fields.String(required=True, metadata={
        "description": "The entity of the record the file belongs to, e.g. account"})
    parent_id = fields.UUID(required=True)


class AttachmentSchema(RecordSchema):
    """A file attached to a record."""

    parent_entity = fields.String(dump_only=True)
    parent_id = fields.UUID(dump_only=True)
    filename = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    uploaded_by = fields.UUID(dump_only=True)


class PanelSchema(BaseSchema):
    """A section of the 360° view contributed by a module."""

    key = fields.String()
    title = fields.String()
    data = fields.Raw()


def _section(name: str, item_schema: type[BaseSchema], entity: str | None) -> type:
    """A first page of related records, named after its place in the 360° view (field
    rules of ``entity`` applied)."""
    items = secured(item_schema, entity) if entity else item_schema
    return type(f"{name}Schema", (page_schema(items),), {})


class Account360Schema(BaseSchema):
    """An account with what surrounds it; a section is null without permission to read it.

    Fields hidden from the caller's role are left out, as in every other read.
    """

    account = fields.Nested(secured(AccountSchema, "account"))
    contacts = fields.Nested(_section("Account360Contacts", ContactSchema, "contact"),
                             allow_none=True)
    activities = fields.Nested(_section("Account360Activities", ActivitySchema, "activity"),
                               allow_none=True)
    attachments = fields.Nested(_section("Account360Attachments", AttachmentSchema, None),
                                allow_none=True)
    panels = fields.List(fields.Nested(PanelSchema))
