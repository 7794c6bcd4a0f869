"""Turning domain events into audit rows (the core's ``patron_event_emitted``)."""

from __future__ import annotations

import uuid

from patron.audit.models import AuditEvent
from patron.db import db
from patron.db.mixins import BOOKKEEPING_FIELDS
from patron.events.dispatch import DomainEvent
from patron.events.interface import current_interface
from patron.rbac.access import acting_user_id

#: Record events: ``<entity>.<verb>`` → the audited action.
RECORD_ACTIONS = {"created": "create", "updated": "update", "deleted": "delete"}


def _actor(payload: dict) -> uuid.UUID | None:
    if payload.get("actor_id"):  # a sign-in: the user is not "current" yet
        return uuid.UUID(payload["actor_id"])
    return acting_user_id()  # None for the CLI or the worker


def _changes(verb: str, payload: dict) -> dict:
    if verb == "updated":
        return payload.get("changes", {})
    data = {k: v for k, v in payload.items()
            if k not in BOOKKEEPING_FIELDS and v not in (None, {}, [])}
    if verb == "created":
        return {k: [None, v] for k, v in data.items()}
    return {k: [v, None] for k, v in data.items()}


def _record_id(payload: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(payload.get("id")))
    except ValueError:
        return None


def record_event(event: DomainEvent) -> AuditEvent:
    """Write the audit row for ``event`` (same transaction as the change)."""
    entity, _, verb = event.name.rpartition(".")
    action = RECORD_ACTIONS.get(verb, event.name)
    changes = _changes(verb, event.payload) if verb in RECORD_ACTIONS else event.payload.get(
        "changes", {})
    row = AuditEvent(
        occurred_at=event.occurred_at, actor_id=_actor(event.payload),
        interface=current_interface(),
        action=action, entity=entity, record_id=_record_id(event.payload), changes=changes,
    )
    db.session.add(row)
    return row
