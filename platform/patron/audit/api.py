"""``/audit-events``: the audit log, read-only, filterable (a record's history included)."""

from __future__ import annotations

from marshmallow import fields, post_dump

from patron.api import PatronBlueprint, ResourceSpec, register_crud
from patron.api.schemas import BaseSchema
from patron.audit.models import AuditEvent
from patron.rbac.field_security import redact_changes

blp = PatronBlueprint("audit", __name__, description="The audit log")


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


register_crud(blp, ResourceSpec(
    name="audit-events", model=AuditEvent, schema=AuditEventSchema, permission="core.audit",
    event="audit_event", filterable=("entity", "record_id", "actor_id", "action", "interface",
                                     "occurred_at"),
    sortable=("occurred_at",), writable=False,
))
