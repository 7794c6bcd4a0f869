"""API schemas of price lists, quotes, orders, contracts and their payment plans."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from patron.sdk import (
    CURRENCY,
    Amount,
    BaseSchema,
    OwnedRecordSchema,
    RecordSchema,
    custom_values,
    text,
)
from patron_sales.schemas.approvals import ApprovalStatus
from patron_sales.schemas.fields import CreatedRecordSchema, Percent, required_text

QUOTE_STATUSES = ("draft", "sent", "accepted", "rejected", "expired")
ORDER_STATUSES = ("open", "fulfilled", "cancelled")
CONTRACT_STATUSES = ("draft", "active", "expired", "terminated", "renewed")


class PriceListSchema(RecordSchema):
    """A price list in one currency."""

    name = required_text(200)
    currency = fields.String(validate=CURRENCY,
                             metadata={"description": "Default: the tenant's currency"})
    active = fields.Boolean()


class PriceListItemSchema(RecordSchema):
    """A product's price in a price list."""

    price_list_id = fields.UUID(dump_only=True)
    product_id = fields.UUID(required=True)
    unit_price = Amount(required=True)


class QuoteSchema(ApprovalStatus, OwnedRecordSchema):
    """A quote; totals are computed, statuses change through the actions."""

    number = fields.String(dump_only=True, metadata={
        "description": "QT-00042: given when the quote is made, kept by its revisions"})
    name = required_text(200)
    opportunity_id = fields.UUID(allow_none=True, metadata={"description": "The deal"})
    account_id = fields.UUID(metadata={"description": "Default (and required): the deal's"})
    contact_id = fields.UUID(allow_none=True, metadata={
        "description": "Whom it is for, a contact at the account. Default: the deal's primary "
                       "contact"})
    price_list_id = fields.UUID(allow_none=True, metadata={
        "description": "Default: the deal's price list"})
    previous_id = fields.UUID(dump_only=True, metadata={"description": "The revision before"})
    revision = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True, metadata={"description": ", ".join(QUOTE_STATUSES)})
    currency = fields.String(validate=CURRENCY, metadata={
        "description": "Default: the deal's currency, else the tenant's"})
    valid_until = fields.Date(allow_none=True)
    discount_percent = Percent()
    tax_percent = Percent()
    subtotal = Amount(dump_only=True)
    discount_amount = Amount(dump_only=True)
    tax_amount = Amount(dump_only=True)
    total = Amount(dump_only=True)
    notes = text(20000)
    sent_at = fields.AwareDateTime(dump_only=True)
    sent_to = fields.String(dump_only=True, metadata={
        "description": "The address it was e-mailed to with its PDF (none: not e-mailed)"})
    decided_at = fields.AwareDateTime(dump_only=True)


class SendQuoteSchema(BaseSchema):
    """``POST quotes/<id>/send``: e-mail the quote, with its PDF, to a contact (none: only
    mark it sent, for a quote handed over otherwise)."""

    contact_id = fields.UUID(allow_none=True, metadata={
        "description": "A contact at the quote's account, with an e-mail address"})
    message = fields.String(allow_none=True, validate=validate.Length(max=5000), metadata={
        "description": "A few words before the standard text of the mail"})


class QuoteLineSchema(RecordSchema):
    """A product line of a quote; ``amount`` = quantity × unit price − discount."""

    quote_id = fields.UUID(dump_only=True)
    product_id = fields.UUID(required=True)
    description = text(500)
    quantity = Amount(required=True)
    unit_price = Amount()  # default: the price list's price, else the product's list price
    discount_percent = Percent()
    amount = Amount(dump_only=True)


class OrderSchema(OwnedRecordSchema):
    """An order, made by accepting a quote or entered directly; afterwards only its
    ``status`` changes."""

    number = fields.String(dump_only=True, metadata={
        "description": "SO-00042: the tenant's next order number, given when it is made",
        "label": _l("Order number")})
    quote_id = fields.UUID(dump_only=True)
    opportunity_id = fields.UUID(allow_none=True)
    account_id = fields.UUID(required=True)
    status = fields.String(validate=validate.OneOf(ORDER_STATUSES))
    currency = fields.String(validate=CURRENCY,
                             metadata={"description": "Default: the tenant's currency"})
    total = Amount(required=True)
    ordered_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class AcceptQuoteSchema(BaseSchema):
    """``POST quotes/<id>/accept``: what the order it makes (or completes) is given."""

    order = fields.Nested(CreatedRecordSchema, metadata={
        "description": "The custom values of the order, those the tenant made required "
                       "included"})


class AcceptedQuoteSchema(BaseSchema):
    """What accepting a quote did."""

    quote = fields.Nested(QuoteSchema)
    order = fields.Nested(OrderSchema)


class ContractSchema(ApprovalStatus, OwnedRecordSchema):
    """A contract: value, term, dates and renewal date."""

    name = required_text(200)
    account_id = fields.UUID(metadata={"description": "Required unless order_id gives it"})
    opportunity_id = fields.UUID(allow_none=True)
    order_id = fields.UUID(allow_none=True, metadata={
        "description": "The order it follows: default account, deal, value and currency"})
    status = fields.String(validate=validate.OneOf(CONTRACT_STATUSES))
    value = Amount()
    currency = fields.String(validate=CURRENCY,
                             metadata={"description": "Default: the tenant's currency"})
    term_months = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1200))
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True, metadata={
        "description": "Default: start_date + term_months − 1 day"})
    renewal_date = fields.Date(allow_none=True, metadata={"description": "Default: end_date"})
    renewal_notified_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class InstalmentSchema(RecordSchema):
    """A scheduled payment of a contract (in the contract's currency)."""

    contract_id = fields.UUID(dump_only=True)
    due_date = fields.Date(required=True)
    amount = Amount(required=True)
    received_amount = Amount(dump_only=True)
    overdue_at = fields.AwareDateTime(dump_only=True)


class PaymentSchema(RecordSchema):
    """Money received for a contract (in the contract's currency)."""

    contract_id = fields.UUID(dump_only=True)
    amount = Amount(required=True)
    received_on = fields.Date(required=True)
    reference = text(200)
