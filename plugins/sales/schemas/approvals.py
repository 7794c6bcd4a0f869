"""API schemas of approvals: the tenant's thresholds, the requests, an approver's decision,
and the approval status quotes and contracts carry."""

from __future__ import annotations

from marshmallow import fields, pre_dump

from patron.sdk import Amount, BaseSchema, OwnedRecordSchema, RecordSchema, text
from patron_sales.models.approvals import approval_statuses
from patron_sales.schemas.fields import Percent


class ApprovalStatus:
    """``approval_status`` of quotes and contracts, read for a whole page at once."""

    approval_status = fields.Method("_approval_status", dump_only=True, metadata={
        "description": "pending, approved or rejected; null without an open request",
        "type": "string"})

    @pre_dump(pass_collection=True)
    def _read_approval_statuses(self, data, many: bool, **kwargs):
        records = data if many else [data]
        statuses = approval_statuses(records)
        for record in records:
            record.current_approval_status = statuses.get(record.id)
        return data

    def _approval_status(self, record) -> str | None:
        return record.current_approval_status


class SalesSettingsSchema(RecordSchema):
    """The tenant's approval thresholds (null: no approval needed)."""

    quote_discount_threshold = Percent(allow_none=True)
    contract_value_threshold = Amount(allow_none=True)


class ApprovalSchema(OwnedRecordSchema):
    """A request for approval; its owner is the manager asked."""

    quote_id = fields.UUID(dump_only=True)
    contract_id = fields.UUID(dump_only=True)
    requested_by = fields.UUID(dump_only=True)
    status = fields.String(dump_only=True, metadata={
        "description": "pending, approved, rejected or superseded"})
    reason = fields.String(dump_only=True)
    comment = fields.String(dump_only=True)
    decided_at = fields.AwareDateTime(dump_only=True)


class DecisionSchema(BaseSchema):
    """An approver's decision."""

    comment = text(2000)
