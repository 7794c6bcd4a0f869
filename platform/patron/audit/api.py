"""``/audit-events``: the audit log, read-only, filterable (a record's history included)."""

from __future__ import annotations

from marshmallow import fields

from patron.api import PatronBlueprint, ResourceSpec, register_crud
from patron.api.schemas import BaseSchema
from patron.audit.models import AuditEvent

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


register_crud(blp, ResourceSpec(
    name="audit-events", model=AuditEvent, schema=AuditEventSchema, permission="core.audit",
    event="audit_event", filterable=("entity", "record_id", "actor_id", "action", "interface",
                                     "occurred_at"),
    sortable=("occurred_at",), writable=False,
))
