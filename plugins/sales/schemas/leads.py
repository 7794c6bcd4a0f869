"""API schemas of leads and of their conversion into an account, a contact and a deal."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.sdk import CURRENCY, PHONE, Amount, BaseSchema, OwnedRecordSchema, custom_values, text
from patron_sales.schemas.fields import CreatedRecordSchema, required_text

LEAD_STATUSES = ("new", "working", "qualified", "disqualified", "converted")
LEAD_RATINGS = ("hot", "warm", "cold")


class LeadSchema(OwnedRecordSchema):
    """A lead, with the lineage of its conversion once converted."""

    first_name = text(100)
    last_name = required_text(100)
    full_name = fields.String(dump_only=True)
    title = text(100)
    email = fields.Email(allow_none=True)
    phone = fields.String(allow_none=True, validate=PHONE)
    company = text(200)
    domain = text(253)
    website = fields.Url(allow_none=True)
    industry = text(100)
    source = text(100)
    status = fields.String(validate=validate.OneOf(LEAD_STATUSES))
    rating = fields.String(allow_none=True, validate=validate.OneOf(LEAD_RATINGS))
    score = fields.Integer(validate=validate.Range(min=0, max=1000))
    description = text(20000)
    converted_at = fields.AwareDateTime(dump_only=True)
    account_id = fields.UUID(dump_only=True, metadata={"description": "Converted into"})
    contact_id = fields.UUID(dump_only=True, metadata={"description": "Converted into"})
    opportunity_id = fields.UUID(dump_only=True, metadata={"description": "Converted into"})
    custom = custom_values()


class ConvertOpportunitySchema(BaseSchema):
    """The deal a conversion opens (name default: the lead's company or name)."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    amount = Amount()
    currency = fields.String(validate=CURRENCY)
    expected_close_date = fields.Date(allow_none=True)
    pipeline_id = fields.UUID()
    stage_id = fields.UUID()
    custom = custom_values()


class ConvertLeadSchema(BaseSchema):
    """``POST leads/<id>/convert``: link or create the account and contact, maybe a deal."""

    account_id = fields.UUID(metadata={
        "description": "Link this account; default: the account matching the lead's domain "
                       "or company name, created if there is none"})
    contact_id = fields.UUID(metadata={
        "description": "Link this contact; default: the contact with the lead's e-mail, "
                       "created if there is none"})
    opportunity = fields.Nested(ConvertOpportunitySchema, allow_none=True, metadata={
        "description": "Open a deal too (give {} for the defaults)"})
    account = fields.Nested(CreatedRecordSchema, metadata={
        "description": "The custom values of the account, if the conversion creates one"})
    contact = fields.Nested(CreatedRecordSchema, metadata={
        "description": "The custom values of the contact, if the conversion creates one"})


class ConversionSchema(BaseSchema):
    """What a conversion did."""

    lead = fields.Nested(LeadSchema)
    account_id = fields.UUID()
    account_created = fields.Boolean()
    contact_id = fields.UUID()
    contact_created = fields.Boolean()
    opportunity_id = fields.UUID(allow_none=True)
