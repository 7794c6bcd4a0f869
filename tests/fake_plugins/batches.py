"""A fake plugin that takes events in batches (``patron_events_emitted``): it records the
names and sizes of the batches it was handed in :data:`BATCHES`."""

from __future__ import annotations

from patron.plugins import ModuleInfo, hookimpl

patron_module = ModuleInfo(name="batches", label="Batches", version="1.0")

BATCHES: list[tuple[str, int]] = []


@hookimpl
def patron_events_emitted(events):
    BATCHES.append((events[0].name, len(events)))


@hookimpl
def patron_event_emitted(event):
    raise AssertionError("a plugin with a batch handler is not called per event")
