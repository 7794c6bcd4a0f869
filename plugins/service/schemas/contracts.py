"""API schema of service contracts and warranties."""

from __future__ import annotations

from marshmallow import fields

from patron.sdk import RecordSchema, custom_values
from patron_service.models.contracts import CONTRACT_KINDS
from patron_service.schemas.fields import one_of, required_text


class ServiceContractSchema(RecordSchema):
    """Coverage of an account (one product, or all) for a period, at an SLA tier."""

    name = required_text(200)
    kind = one_of(CONTRACT_KINDS,
                  metadata={"description": "contract (default) or warranty"})
    account_id = fields.UUID(required=True)
    product_id = fields.UUID(allow_none=True, metadata={"description": "Empty: every product"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    sla_policy_id = fields.UUID(allow_none=True, metadata={"description": "The SLA tier"})
    custom = custom_values()
