"""A fake plugin with an outbox channel and a scheduled job that record what they did.

The channel ``recorder`` wants every ``account.*`` event and fails while
:data:`STATE.failures_left <RecorderState>` is above zero; the job ``recorder.tick`` notes the
tenant it ran for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from patron.db import current_tenant_id
from patron.events.dispatch import DomainEvent
from patron.events.jobs import Job
from patron.events.models import OutboxMessage
from patron.plugins import ModuleInfo, hookimpl

patron_module = ModuleInfo(name="recorder", label="Recorder", version="1.0")


@dataclass
class RecorderState:
    """What the channel delivered (idempotency keys) and the tenants the job ran for."""

    delivered: list[str] = field(default_factory=list)
    ticks: list[uuid.UUID | None] = field(default_factory=list)
    failures_left: int = 0


STATE = RecorderState()


class RecorderChannel:
    """Records each delivery; raises while told to fail."""

    name = "recorder"

    def targets(self, event: DomainEvent) -> list[uuid.UUID | None]:
        return [None] if event.name.startswith("account.") else []

    def deliver(self, message: OutboxMessage) -> None:
        if STATE.failures_left:
            STATE.failures_left -= 1
            raise ConnectionError("the recorder is down")
        STATE.delivered.append(message.idempotency_key)


def tick() -> None:
    """The job: note the tenant in context."""
    STATE.ticks.append(current_tenant_id())


@hookimpl
def patron_register_outbox_channels():
    return [RecorderChannel()]


@hookimpl
def patron_register_jobs():
    return [Job("recorder.tick", every_seconds=60, run=tick)]
