"""``/api/v1/hello/greetings``: one resource built with the core's ``register_crud``."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.sdk import OwnedRecordSchema, PatronBlueprint, ResourceSpec, register_crud
from patron_hello.models import Greeting

#: Resource permission prefix: ``hello.greetings.read|create|update|delete``.
GREETINGS = "hello.greetings"

blp = PatronBlueprint("hello", __name__, description="Greetings (the Hello example module)")


class GreetingSchema(OwnedRecordSchema):
    """A greeting."""

    message = fields.String(required=True, validate=validate.Length(min=1, max=500))
    language = fields.String(validate=validate.Length(min=2, max=16))


register_crud(blp, ResourceSpec(
    name="greetings", model=Greeting, schema=GreetingSchema, permission=GREETINGS,
    event="greeting", filterable=("language", "owner_id", "created_at"),
    searchable=("message",), sortable=("created_at", "language"),
))
