"""``/events``: the event catalogue — every event the core and the installed modules emit,
with the JSON Schema of its payload (the ``data`` of a webhook delivery)."""

from __future__ import annotations

import functools
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from patron.api.blueprint import PatronBlueprint
from patron.events.catalogue import EventType, catalogue
from patron.rbac.access import require_user
from patron.schemas import BaseSchema

blp = PatronBlueprint("events", __name__, description="The event catalogue")


class EventTypeSchema(BaseSchema):
    """One kind of event."""

    name = fields.String(metadata={"description": "e.g. opportunity.won"})
    description = fields.String()
    payload = fields.Dict(metadata={"description": "The JSON Schema of the event's data"})


class EventCatalogueSchema(BaseSchema):
    """Every event, by name."""

    items = fields.List(fields.Nested(EventTypeSchema))


@functools.cache
def _converter():
    # Nested schemas inlined (no name to refer to): each payload stands alone.
    plugin = MarshmallowPlugin(schema_name_resolver=lambda schema: None)
    APISpec("events", "1", "3.0.3", plugins=[plugin])
    return plugin.converter


def described(event_type: EventType) -> dict[str, Any]:
    """An event as the catalogue lists it."""
    return {"name": event_type.name, "description": event_type.description,
            "payload": _converter().schema2jsonschema(event_type.payload_schema())}


@blp.route("/events")
@blp.response(200, EventCatalogueSchema)
def event_catalogue():
    """Every event the core and the installed modules emit, with its payload's JSON Schema"""
    require_user()
    return {"items": [described(event_type) for event_type in catalogue().values()]}
