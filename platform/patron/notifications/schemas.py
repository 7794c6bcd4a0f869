"""The notifications' API shapes."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.notifications.services import EMAIL_CHOICES
from patron.schemas import BaseSchema


class NotificationSchema(BaseSchema):
    """One notification of the signed-in user."""

    id = fields.UUID(dump_only=True)
    kind = fields.String(dump_only=True)
    text = fields.String(dump_only=True)
    link = fields.String(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    read_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class NotificationListSchema(BaseSchema):
    """The signed-in user's notifications, newest first, and how many are unread."""

    items = fields.List(fields.Nested(NotificationSchema), dump_only=True)
    unread = fields.Integer(dump_only=True)


class NotificationArgsSchema(BaseSchema):
    """``GET /me/notifications``: how many, and only the unread ones."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    unread = fields.Boolean(load_default=False)
    before = fields.AwareDateTime(metadata={
        "description": "Older than this (the created_at of the last one you have)"})


class NotificationSettingsSchema(BaseSchema):
    """How the signed-in user hears of notifications besides the bell."""

    notify_by_email = fields.String(required=True, validate=validate.OneOf(EMAIL_CHOICES),
                                    metadata={"description": "never, immediately or daily "
                                                             "(one digest a day)"})


class MarkedSchema(BaseSchema):
    """How many notifications were marked read."""

    marked = fields.Integer(dump_only=True)
