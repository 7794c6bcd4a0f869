"""``/webhooks``: subscriptions, a test delivery, and each webhook's deliveries."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, delete, select

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import register_crud
from patron.db import db
from patron.errors import Conflict, ValidationFailed
from patron.events.models import DEAD, OutboxMessage
from patron.events.worker import replay_dead
from patron.rbac.access import get_scoped_or_404, require
from patron.records.paging import BadCursor, expand, paginate
from patron.records.spec import ResourceSpec
from patron.schemas import page_schema
from patron.webhooks.channel import CHANNEL, queue_test_delivery
from patron.webhooks.models import ALL_EVENTS, Webhook
from patron.webhooks.schemas import (
    DeliveryArgsSchema,
    DeliverySchema,
    NewWebhookSchema,
    ReplaySchema,
    WebhookSchema,
)
from patron.webhooks.signing import generate_secret
from patron.webhooks.url_safety import UnsafeUrl, check_url

blp = PatronBlueprint("webhooks", __name__, description="Outbound webhooks (signed deliveries)")

PERMISSION = "core.webhooks"
NEWEST_FIRST = expand([(OutboxMessage.id, True, False)])  # UUIDv7: id order is time order


def _check_url(url: str) -> None:
    try:
        check_url(url)
    except UnsafeUrl as error:
        raise ValidationFailed({"url": [str(error)]}) from error


def _create_webhook(data: dict) -> Webhook:
    _check_url(data["url"])
    webhook = Webhook(**{"events": [ALL_EVENTS], "secret": generate_secret(), **data})
    db.session.add(webhook)
    db.session.flush()
    return webhook


def _update_webhook(webhook: Webhook, data: dict) -> None:
    if "url" in data:
        _check_url(data["url"])
    for key, value in data.items():
        setattr(webhook, key, value)
    db.session.flush()


def _deliveries_of(webhook: Webhook) -> tuple[ColumnElement[bool], ...]:
    """Criteria of the outbox messages addressed to ``webhook``."""
    return OutboxMessage.channel == CHANNEL, OutboxMessage.target_id == webhook.id


def _delete_webhook(webhook: Webhook) -> None:
    # Its queued and dead deliveries have nowhere left to go.
    db.session.execute(delete(OutboxMessage).where(*_deliveries_of(webhook)))
    db.session.delete(webhook)
    db.session.flush()


WEBHOOKS_SPEC = ResourceSpec(
    name="webhooks", model=Webhook, schema=WebhookSchema, permission=PERMISSION,
    event="webhook", filterable=("url", "active", "created_at"),
    searchable=("url", "description"), sortable=("url", "created_at", "updated_at"),
    create=_create_webhook, update=_update_webhook, delete=_delete_webhook,
    created_schema=NewWebhookSchema,
)
register_crud(blp, WEBHOOKS_SPEC)


@blp.route("/webhooks/<uuid:webhook_id>/test", methods=["POST"])
@blp.response(202, DeliverySchema)
def send_test_delivery(webhook_id: uuid.UUID) -> OutboxMessage:
    """Queue a webhook.test event for this webhook alone"""
    require(f"{PERMISSION}.update")
    webhook = get_scoped_or_404(Webhook, webhook_id, PERMISSION)
    if not webhook.active:
        raise Conflict("the webhook is inactive; activate it before testing it")
    return queue_test_delivery(webhook)


@blp.route("/webhooks/<uuid:webhook_id>/deliveries")
@blp.arguments(DeliveryArgsSchema, location="query")
@blp.response(200, page_schema(DeliverySchema))
def list_deliveries(args: dict, webhook_id: uuid.UUID) -> dict:
    """The webhook's deliveries, newest first (status, attempts, last error)"""
    require(f"{PERMISSION}.read")
    webhook = get_scoped_or_404(Webhook, webhook_id, PERMISSION)
    statement = select(OutboxMessage).where(*_deliveries_of(webhook))
    if "status" in args:
        statement = statement.where(OutboxMessage.status == args["status"])
    try:
        items, next_cursor = paginate(
            statement, NEWEST_FIRST, args["limit"], args.get("cursor"), db.session
        )
    except BadCursor as error:
        raise ValidationFailed({"cursor": [str(error)]}) from error
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/webhooks/<uuid:webhook_id>/deliveries/replay", methods=["POST"])
@blp.response(200, ReplaySchema)
def replay_deliveries(webhook_id: uuid.UUID) -> dict:
    """Put the webhook's dead deliveries back in the queue"""
    require(f"{PERMISSION}.update")
    webhook = get_scoped_or_404(Webhook, webhook_id, PERMISSION)
    dead = db.session.execute(
        select(OutboxMessage.id).where(*_deliveries_of(webhook), OutboxMessage.status == DEAD)
    ).scalars().all()
    # replay_dead() with no ids replays every dead message of the tenant: only pass real ones.
    return {"replayed": replay_dead(list(dead)) if dead else 0}
