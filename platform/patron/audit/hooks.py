"""The audit log as a core plugin: it hears every domain event of every tenant.

Registered by the plugin manager next to :mod:`patron.core_hooks` and never gated, so a
tenant cannot switch auditing off by disabling a module.
"""

from __future__ import annotations

from patron.audit.recording import record_events
from patron.events import DomainEvent
from patron.plugins import hookimpl


@hookimpl
def patron_events_emitted(events: list[DomainEvent]) -> None:
    """An audit row for every event, all written with one statement."""
    record_events(events)
