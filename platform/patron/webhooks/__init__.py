"""Outbound webhooks: tenant subscriptions to domain events, delivered through the outbox.

Each delivery is a signed HTTP POST (HMAC-SHA256 over the timestamp and the body, see
:mod:`patron.webhooks.signing`) to a URL that must resolve to a public address, checked when
the subscription is saved and again at every delivery (:mod:`patron.webhooks.url_safety`).
"""
