"""The audit log as a core plugin: it hears every domain event of every tenant.

Registered by the plugin manager next to :mod:`patron.core_hooks` and never gated, so a
tenant cannot switch auditing off by disabling a module.
"""

from __future__ import annotations

from patron.audit.recording import record_event
from patron.plugins import hookimpl


@hookimpl
def patron_event_emitted(event):
    record_event(event)
