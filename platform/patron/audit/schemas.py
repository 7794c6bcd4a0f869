"""The audit log's rows as the API and the audit page show them."""

from __future__ import annotations

from marshmallow import fields, post_dump

from patron.rbac.field_security import redact_changes
from patron.schemas import BaseSchema


class AuditEventSchema(BaseSchema):
    """An audited action."""

    id = fields.UUID(dump_only=True)
    occurred_at = fields.AwareDateTime(dump_only=True)
    actor_id = fields.UUID(dump_only=True)
    interface = fields.String(dump_only=True)
    action = fields.String(dump_only=True)
    entity = fields.String(dump_only=True)
    record_id = fields.UUID(dump_only=True)
    changes = fields.Dict(dump_only=True)

    @post_dump
    def _hide_fields(self, data: dict, **kwargs) -> dict:
        """A role that may not see a field may not see its history either."""
        data["changes"] = redact_changes(data.get("entity"), data.get("changes") or {})
        return data
