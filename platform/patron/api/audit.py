"""``/audit-events``: the audit log, read-only, filterable (a record's history included)."""

from __future__ import annotations

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import register_crud
from patron.audit.models import AuditEvent
from patron.audit.schemas import AuditEventSchema
from patron.records.spec import ResourceSpec

blp = PatronBlueprint("audit", __name__, description="The audit log")


register_crud(blp, ResourceSpec(
    name="audit-events", model=AuditEvent, schema=AuditEventSchema, permission="core.audit",
    event="audit_event", filterable=("entity", "record_id", "actor_id", "action", "interface",
                                     "occurred_at"),
    sortable=("occurred_at",), writable=False,
))
