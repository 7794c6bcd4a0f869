"""The ``webhook`` outbox channel: which webhooks want an event, and the signed POST."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

from sqlalchemy import select

from patron.config_cache import shared_cached, versioned_config
from patron.context_cache import forget_on_change
from patron.db import db, require_tenant_id
from patron.events.dispatch import DomainEvent
from patron.events.models import OutboxMessage
from patron.webhooks.models import Webhook, subscribes_to
from patron.webhooks.signing import sign
from patron.webhooks.url_safety import check_url, safe_opener

CHANNEL = "webhook"
TEST_EVENT = "webhook.test"
TIMEOUT_SECONDS = 10
USER_AGENT = "Patron-Webhooks/1"


#: :mod:`patron.context_cache` namespace of the tenant's active webhooks: read once per
#: request or job, not once per event (an import emits one event per row).
ACTIVE_WEBHOOKS = "active_webhooks"
forget_on_change(Webhook, ACTIVE_WEBHOOKS)
versioned_config(Webhook)


def _active_webhooks() -> tuple[tuple[uuid.UUID, frozenset[str]], ...]:
    """(id, subscribed event names) of the current tenant's active webhooks (shared between
    requests until the tenant's configuration changes)."""
    require_tenant_id()
    return shared_cached(ACTIVE_WEBHOOKS, None, lambda: tuple(
        (webhook.id, frozenset(webhook.events)) for webhook in db.session.execute(
            select(Webhook).where(Webhook.active.is_(True)).order_by(Webhook.id)
        ).scalars()
    ))


class DeliveryFailed(RuntimeError):
    """The webhook could not be delivered this time; the worker retries it."""


class WebhookChannel:
    """Delivers the current tenant's events to its active, subscribed webhooks."""

    name = CHANNEL

    def targets(self, event: DomainEvent) -> list[uuid.UUID | None]:
        """Ids of the current tenant's active webhooks subscribed to ``event``."""
        return [webhook_id for webhook_id, events in _active_webhooks()
                if subscribes_to(events, event.name)]

    def deliver(self, message: OutboxMessage) -> None:
        """POST the message to its webhook, signed; raise unless the receiver answers 2xx."""
        webhook = db.session.execute(
            select(Webhook).where(Webhook.id == message.target_id)
        ).scalar_one_or_none()
        if webhook is None:
            raise DeliveryFailed("the webhook has been deleted")
        if not webhook.active:
            raise DeliveryFailed("the webhook is inactive")
        check_url(webhook.url)  # again: the host's addresses may have changed since it was saved
        body = json.dumps(message.payload, separators=(",", ":")).encode()
        timestamp = int(time.time())
        request = urllib.request.Request(webhook.url, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Patron-Event": message.event_name,
            "X-Patron-Delivery": message.idempotency_key,
            "Idempotency-Key": message.idempotency_key,
            "X-Patron-Timestamp": str(timestamp),
            "X-Patron-Signature": sign(webhook.secret, timestamp, body),
        })
        try:
            with safe_opener().open(request, timeout=TIMEOUT_SECONDS):
                pass
        except urllib.error.HTTPError as error:
            error.close()
            answer = f"HTTP {error.code} {error.reason}"
            raise DeliveryFailed(f"the receiver answered {answer}") from None
        except OSError as error:  # URLError, timeouts, refused connections
            reason = getattr(error, "reason", error)
            raise DeliveryFailed(f"the receiver could not be reached: {reason}") from None


def queue_test_delivery(webhook: Webhook) -> OutboxMessage:
    """Queue a ``webhook.test`` event for ``webhook`` alone; flushes, never commits."""
    event = DomainEvent(
        name=TEST_EVENT, payload={"webhook_id": str(webhook.id)}, tenant_id=require_tenant_id()
    )
    message = OutboxMessage(
        channel=CHANNEL, target_id=webhook.id, event_id=event.id, event_name=event.name,
        payload=event.envelope(),
    )
    db.session.add(message)
    db.session.flush()
    return message
