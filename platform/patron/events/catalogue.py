"""The event catalogue: every domain event with the shape of its payload, declared next to
the code that emits it, so that what subscribers read cannot drift from what is sent.

A record's ``<event>.created``, ``.updated`` (with ``changes``: ``{field: [before, after]}``)
and ``.deleted`` are declared when its resource is registered (the payload is the resource's
schema); other events are declared by their module through ``patron_register_events`` (or
``ModuleInfo.events``). The catalogue is served at ``/api/v1/events`` and listed in the plugin
guide. Under test (``PATRON_CHECK_EVENTS``), every emitted payload is checked against its
declaration: an undeclared event or a payload with other keys fails the test that emitted it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from marshmallow import Schema, fields

from patron.plugins.manager import registrations, registrations_by_plugin

#: Events declared by the record layer (one per resource and action), by name.
_DECLARED: dict[str, EventType] = {}
#: Who is told of every emitted event under ``PATRON_CHECK_EVENTS`` (the test kit's
#: ``captured_events``): ``callback(name, payloads)``.
_OBSERVERS: list[Callable[[str, Sequence[dict[str, Any]]], None]] = []


@dataclass(frozen=True)
class EventType:
    """One kind of event: its name (``opportunity.won``), what it means, and its payload:
    ``schema``'s dump, plus ``changes`` when ``changes`` is set, plus the ``extra`` keys."""

    name: str
    description: str
    schema: type[Schema] | None = None
    changes: bool = False
    extra: Mapping[str, fields.Field] = field(default_factory=dict)

    def keys(self) -> set[str]:
        """The keys of the payload."""
        names = set(self.extra) | ({"changes"} if self.changes else set())
        if self.schema is not None:
            names |= {f.data_key or name for name, f in self.schema().fields.items()
                      if not f.load_only}
        return names

    def payload_schema(self) -> Schema:
        """The payload as one schema (for its JSON Schema)."""
        extra = dict(self.extra)
        if self.changes:
            extra["changes"] = fields.Dict(metadata={
                "description": "What changed: {field: [before, after]}"})
        base = self.schema or Schema
        return type(f"{self.name.replace('.', '_').title()}Payload", (base,), {**extra})()


def payload(**extra: fields.Field) -> type[Schema]:
    """A payload schema of a few keys: ``payload(id=fields.UUID(), name=fields.String())``."""
    return Schema.from_dict(extra)


def declare(event_types: Sequence[EventType]) -> None:
    """Declare events the core's record layer emits (a registered resource's)."""
    for event_type in event_types:
        _DECLARED[event_type.name] = event_type


#: What each record event says happened.
RECORD_ACTIONS = {"created": "A {noun} was created.", "updated": "A {noun} was changed.",
                  "deleted": "A {noun} was deleted (its last state)."}


def record_events(event: str, schema: type[Schema], noun: str,
                  actions: Sequence[str] = tuple(RECORD_ACTIONS)) -> list[EventType]:
    """The created, updated and deleted events (or those of ``actions``) of records
    announced as ``event``; an update's payload also carries its ``changes``."""
    return [EventType(f"{event}.{action}", RECORD_ACTIONS[action].format(noun=noun), schema,
                      changes=action == "updated") for action in actions]


def catalogue() -> dict[str, EventType]:
    """Every declared event of the core and the installed plugins, by name."""
    declared = dict(_DECLARED)
    for event_type in registrations("patron_register_events"):
        declared[event_type.name] = event_type
    return dict(sorted(declared.items()))


class EventMismatch(AssertionError):
    """An emitted event is not in the catalogue, or its payload has other keys."""


def check_payloads(name: str, payloads: Sequence[dict[str, Any]]) -> None:
    """Under ``PATRON_CHECK_EVENTS``: fail unless ``name`` is declared and each payload has
    exactly its declared keys."""
    if not current_app.config.get("PATRON_CHECK_EVENTS"):
        return
    event_type = catalogue().get(name)
    if event_type is None:
        raise EventMismatch(f"event {name!r} is emitted but not declared in the catalogue")
    expected = event_type.keys()
    for data in payloads:
        if set(data) != expected:
            raise EventMismatch(
                f"event {name!r}: payload keys differ from the catalogue: "
                f"missing {sorted(expected - set(data))}, undeclared "
                f"{sorted(set(data) - expected)}")
    for observer in _OBSERVERS:
        observer(name, payloads)


@contextmanager
def observing(callback: Callable[[str, Sequence[dict[str, Any]]], None]) -> Iterator[None]:
    """Tell ``callback`` of every event checked inside the block (``PATRON_CHECK_EVENTS``)."""
    _OBSERVERS.append(callback)
    try:
        yield
    finally:
        _OBSERVERS.remove(callback)


def catalogue_markdown(modules: Sequence[str]) -> str:
    """The plugin guide's event catalogue: the events ``modules`` (plugin names, the core's
    ``patron.core`` among them) declare besides their records' own, as a Markdown table."""
    lines = ["| event | payload keys | meaning |", "|---|---|---|"]
    declared = sorted((event_type.name, event_type) for plugin, event_type
                      in registrations_by_plugin("patron_register_events") if plugin in modules)
    for name, event_type in declared:
        lines.append(f"| `{name}` | {_keys_in_words(event_type)} | {event_type.description} |")
    return "\n".join(lines)


def _keys_in_words(event_type: EventType) -> str:
    """A payload's keys; a whole record as "the quote" (its keys are the API's)."""
    schema = event_type.schema
    record = schema is not None and {"id", "version"} <= set(schema().fields)
    own = (set(event_type.extra) | ({"changes"} if event_type.changes else set())) if record \
        else event_type.keys()
    words = [f"`{key}`" for key in sorted(own)]
    if record:
        noun = re.sub(r"(?<!^)(?=[A-Z])", " ", schema.__name__.removesuffix("Schema")).lower()
        words.insert(0, f"the {noun}")
    return ", ".join(words)
