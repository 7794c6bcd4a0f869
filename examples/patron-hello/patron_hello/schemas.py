"""How a greeting reads and is written in the API."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.sdk import OwnedRecordSchema


class GreetingSchema(OwnedRecordSchema):
    """A greeting."""

    message = fields.String(required=True, validate=validate.Length(min=1, max=500))
    language = fields.String(validate=validate.Length(min=2, max=16))
