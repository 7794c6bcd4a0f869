"""Emitting domain events."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from patron.db import new_id, require_tenant_id
from patron.db.bulk import insert_rows
from patron.db.mixins import utcnow
from patron.events.catalogue import check_payloads
from patron.events.models import OutboxMessage
from patron.plugins.manager import CORE_PLUGIN, registrations, registrations_by_plugin
from patron.plugins.services import enabled_modules, tenant_hooks


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
    """Every outbox channel of the core and the installed plugins, by name."""
    return {c.name: c for c in registrations("patron_register_outbox_channels")}


def enabled_channels() -> list[OutboxChannel]:
    """The channels of the core and of the modules the current tenant has enabled."""
    allowed = enabled_modules() | {CORE_PLUGIN}
    return [channel for plugin_name, channel
            in registrations_by_plugin("patron_register_outbox_channels")
            if plugin_name in allowed]


def handle_by_name(events: Iterable[DomainEvent],
                   handlers: Mapping[str, Callable[[dict[str, Any]], None]]) -> None:
    """Hand each of ``events`` whose name ``handlers`` maps to that handler, with its payload
    (a plugin's ``patron_events_emitted`` that reacts to a few events by name)."""
    for event in events:
        handler = handlers.get(event.name)
        if handler is not None:
            handler(event.payload)


def emit(name: str, payload: dict[str, Any]) -> DomainEvent:
    """Dispatch ``name`` to the tenant's enabled plugins and queue it for outside consumers.

    Must run inside the transaction of the change and with a tenant in context (raises
    :class:`~patron.db.TenantContextMissing` otherwise): nothing is emitted for nobody.
    """
    return emit_many(name, [payload])[0]


def emit_many(name: str, payloads: Sequence[dict[str, Any]]) -> list[DomainEvent]:
    """:func:`emit` for many records at once (a batch write): one event per payload, handed
    to the tenant's handlers in one call each (``patron_events_emitted``; plugins that only
    take single events get them one by one) and queued for every channel's targets with one
    ``INSERT``."""
    tenant_id = require_tenant_id()
    check_payloads(name, payloads)
    events = [DomainEvent(name=name, payload=payload, tenant_id=tenant_id)
              for payload in payloads]
    if events:
        tenant_hooks().events_emitted(events)
        insert_rows(OutboxMessage, (
            {"channel": channel.name, "target_id": target_id, "event_id": event.id,
             "event_name": name, "payload": event.envelope()}
            for channel in enabled_channels()
            for event in events
            for target_id in channel.targets(event)))
    return events
