"""Turning domain events into audit rows (the audit plugin's ``patron_events_emitted``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from patron.audit.models import AuditEvent
from patron.db.bulk import insert_rows
from patron.db.mixins import BOOKKEEPING_FIELDS
from patron.events.dispatch import DomainEvent
from patron.events.interface import current_interface
from patron.rbac.access import acting_user_id

#: Record events: ``<entity>.<verb>`` → the audited action.
RECORD_ACTIONS = {"created": "create", "updated": "update", "deleted": "delete"}


def _changes(verb: str, payload: dict) -> dict:
    if verb == "updated":
        return payload.get("changes", {})
    # Empty values are left out; ``v or not isinstance(...)`` keeps 0, False and "" (a
    # ``v not in (None, {}, [])`` test built two containers and compared each value to them).
    data = {k: v for k, v in payload.items()
            if k not in BOOKKEEPING_FIELDS and v is not None
            and (v or not isinstance(v, dict | list))}
    if verb == "created":
        return {k: [None, v] for k, v in data.items()}
    return {k: [v, None] for k, v in data.items()}


def _record_id(payload: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(payload.get("id")))
    except ValueError:
        return None


def audit_row(event: DomainEvent, actor_id: uuid.UUID | None, interface: str) -> dict:
    """The audit row of ``event`` (columns → values), done by ``actor_id`` through
    ``interface`` unless the event names its actor itself (a sign-in)."""
    entity, _, verb = event.name.rpartition(".")
    changes = _changes(verb, event.payload) if verb in RECORD_ACTIONS else event.payload.get(
        "changes", {})
    actor = uuid.UUID(event.payload["actor_id"]) if event.payload.get("actor_id") else actor_id
    return {"occurred_at": event.occurred_at, "actor_id": actor, "interface": interface,
            "action": RECORD_ACTIONS.get(verb, event.name), "entity": entity,
            "record_id": _record_id(event.payload), "changes": changes}


def record_events(events: Sequence[DomainEvent]) -> None:
    """Write the audit rows of ``events`` with one statement (same transaction as the
    change); the actor and the interface are the same for the whole batch."""
    actor_id, interface = acting_user_id(), current_interface()
    insert_rows(AuditEvent, (audit_row(event, actor_id, interface) for event in events))
