"""Schemas of ``/webhooks`` and of their deliveries."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.events.models import DEAD, DELIVERED, PENDING
from patron.records.paging import DEFAULT_LIMIT, MAX_LIMIT
from patron.schemas import BaseSchema, RecordSchema

#: ``"*"`` or a dotted event name such as ``account.created``.
EVENT_NAME = r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$"


class WebhookSchema(RecordSchema):
    """A webhook subscription (its secret is write-only)."""

    url = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    events = fields.List(
        fields.String(validate=validate.Regexp(EVENT_NAME, error="Not an event name or '*'.")),
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Event names to deliver, or ['*'] (the default) for all"},
    )
    secret = fields.String(
        load_only=True, validate=validate.Length(min=16, max=128),
        metadata={"description": "Signing secret; generated when not given"},
    )
    active = fields.Boolean()
    description = fields.String(validate=validate.Length(max=500))


class NewWebhookSchema(WebhookSchema):
    """A webhook just created: the only response that shows its signing secret."""

    secret = fields.String(dump_only=True, metadata={
        "description": "HMAC-SHA256 key of X-Patron-Signature; shown only now, store it",
    })


class DeliverySchema(BaseSchema):
    """One event queued for a webhook (an outbox message); ``id`` is its idempotency key."""

    id = fields.UUID(dump_only=True)
    event_id = fields.UUID(dump_only=True)
    event = fields.String(attribute="event_name", dump_only=True)
    status = fields.String(dump_only=True)
    attempts = fields.Integer(dump_only=True)
    last_error = fields.String(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    next_attempt_at = fields.AwareDateTime(dump_only=True)
    delivered_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class DeliveryArgsSchema(BaseSchema):
    """Paging (newest first) and the status filter of a webhook's deliveries."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )
    cursor = fields.String()
    status = fields.String(validate=validate.OneOf([PENDING, DELIVERED, DEAD]))


class ReplaySchema(BaseSchema):
    """How many dead deliveries went back in the queue."""

    replayed = fields.Integer(dump_only=True)
