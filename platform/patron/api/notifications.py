"""``/me/notifications`` and ``/me/notification-settings``: the signed-in user's own."""

from __future__ import annotations

import uuid

from flask import abort

from patron.api.blueprint import PatronBlueprint
from patron.notifications import mark_all_read, mark_read, recent, unread_count
from patron.notifications.schemas import (
    MarkedSchema,
    NotificationArgsSchema,
    NotificationListSchema,
    NotificationSchema,
    NotificationSettingsSchema,
)
from patron.rbac.access import require_user

blp = PatronBlueprint("notifications", __name__,
                      description="The signed-in user's notifications")


@blp.route("/me/notifications")
@blp.arguments(NotificationArgsSchema, location="query")
@blp.response(200, NotificationListSchema)
def my_notifications(args: dict):
    """Your notifications, newest first, and how many are unread"""
    user = require_user()
    return {"items": recent(user.id, limit=args["limit"], before=args.get("before"),
                            unread_only=args["unread"]),
            "unread": unread_count(user.id)}


@blp.route("/me/notifications/<uuid:notification_id>/read", methods=["POST"])
@blp.response(200, NotificationSchema)
def read_notification(notification_id: uuid.UUID):
    """Mark one of your notifications read"""
    notification = mark_read(require_user().id, notification_id)
    if notification is None:
        abort(404)
    return notification


@blp.route("/me/notifications/read-all", methods=["POST"])
@blp.response(200, MarkedSchema)
def read_all_notifications():
    """Mark all your notifications read"""
    return {"marked": mark_all_read(require_user().id)}


@blp.route("/me/notification-settings")
@blp.response(200, NotificationSettingsSchema)
def notification_settings():
    """Whether your notifications are also mailed"""
    return require_user()


@blp.route("/me/notification-settings", methods=["PUT"])
@blp.arguments(NotificationSettingsSchema)
@blp.response(200, NotificationSettingsSchema)
def change_notification_settings(data: dict):
    """Choose whether your notifications are also mailed: never, immediately or daily"""
    user = require_user()
    user.notify_by_email = data["notify_by_email"]
    return user
