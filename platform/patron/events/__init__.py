"""Domain events: dispatched in-process to enabled plugins and written to the outbox.

:func:`emit` runs inside the transaction of the change: the tenant's enabled plugins see the
event through ``patron_event_emitted``, and every out-of-process consumer (webhooks, ERP, e-mail)
gets an outbox row committed with the change or not at all (DESIGN.md invariant 4).
"""

from patron.events.dispatch import DomainEvent, emit, emit_many, handle_by_name

__all__ = ["DomainEvent", "emit", "emit_many", "handle_by_name"]
