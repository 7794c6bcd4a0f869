"""Emitting domain events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from flask import current_app

from patron.db import db, new_id, require_tenant_id
from patron.db.mixins import utcnow
from patron.events.models import OutboxMessage


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened in one tenant: ``contact.created``, ``opportunity.won``, …"""

    name: str
    payload: dict[str, Any]
    tenant_id: uuid.UUID
    id: uuid.UUID = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=utcnow)

    def envelope(self) -> dict[str, Any]:
        """The JSON body consumers receive."""
        return {
            "id": str(self.id),
            "event": self.name,
            "tenant_id": str(self.tenant_id),
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.payload,
        }


class OutboxChannel(Protocol):
    """An out-of-process consumer, provided through ``patron_register_outbox_channels``."""

    name: str

    def targets(self, event: DomainEvent) -> list[uuid.UUID | None]:
        """Which targets (webhook ids, connections, …) of the current tenant want ``event``."""

    def deliver(self, message: OutboxMessage) -> None:
        """Deliver one message; raise to have it retried."""


def channels() -> dict[str, OutboxChannel]:
    """Every outbox channel of the installed plugins and the core (cached per app)."""
    cached = current_app.extensions.get("patron_outbox_channels")
    if cached is None:
        registry = current_app.extensions["patron"]
        cached = {
            channel.name: channel
            for batch in registry.pm.hook.patron_register_outbox_channels()
            for channel in batch
        }
        current_app.extensions["patron_outbox_channels"] = cached
    return cached


def emit(name: str, payload: dict[str, Any]) -> DomainEvent:
    """Dispatch ``name`` to the tenant's enabled plugins and queue it for outside consumers.

    Must run inside the transaction of the change and with a tenant in context (raises
    :class:`~patron.db.TenantContextMissing` otherwise): nothing is emitted for nobody.
    """
    from patron.plugins.manager import tenant_hooks

    event = DomainEvent(name=name, payload=payload, tenant_id=require_tenant_id())
    tenant_hooks().patron_event_emitted(event=event)
    for channel in channels().values():
        for target_id in channel.targets(event):
            db.session.add(
                OutboxMessage(
                    channel=channel.name, target_id=target_id, event_id=event.id,
                    event_name=name, payload=event.envelope(),
                )
            )
    return event
