"""Outbound webhooks: the API, URL safety, and signed deliveries to a real HTTP receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from patron.db import db
from patron.events import emit
from patron.events.models import OutboxMessage
from patron.events.worker import run_once
from patron.testing.fixtures import in_tenant
from patron.testing.receiver import Receiver, http_receiver
from patron.webhooks.models import Webhook
from patron.webhooks.url_safety import UnsafeUrl, safe_opener

MAX_ATTEMPTS = 3
PUBLIC_URL = "https://93.184.215.14/hook"  # an IP literal: public, and no DNS needed


@pytest.fixture
def patron_config():
    return {
        "PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "PATRON_OUTBOX_BACKOFF_SECONDS": 0,
        "PATRON_OUTBOX_MAX_ATTEMPTS": MAX_ATTEMPTS,
    }


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as server:
        yield server


def deliver(app) -> int:
    """One batch of the outbox worker."""
    with app.app_context():
        return run_once()


def deliveries(api, webhook: dict) -> list[dict]:
    response = api.get(f"/webhooks/{webhook['id']}/deliveries")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_the_secret_is_shown_only_at_creation(app, auth, tenant, receiver):
    api = auth.api(tenant)
    response = api.post("/webhooks", json={"url": receiver.url()})
    assert response.status_code == 201
    created = response.get_json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["events"] == ["*"] and created["active"] is True
    assert response.headers["Location"].endswith(f"/api/v1/webhooks/{created['id']}")

    chosen = "a-secret-of-my-own-choosing"
    second = api.post("/webhooks", json={"url": receiver.url(), "secret": chosen}).get_json()
    assert second["secret"] == chosen

    item = api.get(f"/webhooks/{created['id']}").get_json()
    listed = api.get("/webhooks").get_json()["items"]
    patched = api.patch(f"/webhooks/{created['id']}", json={"description": "CRM events"})
    assert patched.status_code == 200
    for shown in (item, *listed, patched.get_json()):
        assert "secret" not in shown
    with in_tenant(app, tenant):  # nor do the webhook.* events carry it anywhere
        payloads = json.dumps([m.payload for m in db.session.execute(
            select(OutboxMessage)).scalars()])
    assert '"webhook.created"' in payloads
    assert created["secret"] not in payloads and chosen not in payloads


def test_a_delivery_is_signed_and_carries_its_idempotency_key(app, auth, tenant, receiver):
    api = auth.api(tenant)
    webhook = api.post("/webhooks", json={"url": receiver.url(),
                                          "events": ["account.created"]}).get_json()
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    started = int(time.time())
    assert deliver(app) == 1
    [request] = receiver.received
    headers = request.headers
    assert request.path == "/hook"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Patron-Event"] == "account.created"
    [delivery] = deliveries(api, webhook)
    assert headers["X-Patron-Delivery"] == headers["Idempotency-Key"] == delivery["id"]
    timestamp = headers["X-Patron-Timestamp"]
    assert started <= int(timestamp) <= time.time()
    expected = hmac.new(webhook["secret"].encode(), f"{timestamp}.".encode() + request.body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Patron-Signature"], f"sha256={expected}")
    body = json.loads(request.body)
    assert body["event"] == "account.created" and body["tenant_id"] == str(tenant.id)
    assert body["data"]["id"] == account["id"] and body["data"]["name"] == "Initech"
    assert (delivery["status"], delivery["attempts"], delivery["event"]) == (
        "delivered", 1, "account.created")
    assert delivery["delivered_at"] is not None


def test_only_active_subscribed_webhooks_get_an_event(app, auth, tenant, receiver):
    api = auth.api(tenant)
    others = api.post("/webhooks", json={"url": receiver.url("/others"),
                                         "events": ["account.deleted"]}).get_json()
    paused = api.post("/webhooks", json={"url": receiver.url("/paused"),
                                         "active": False}).get_json()
    everything = api.post("/webhooks", json={"url": receiver.url("/all")}).get_json()
    api.post("/accounts", json={"name": "Initech"})
    assert deliveries(api, others) == [] and deliveries(api, paused) == []
    events = sorted(d["event"] for d in deliveries(api, everything))
    assert events == ["account.created", "webhook.created"]  # its own creation included
    assert deliver(app) == 2
    assert {r.path for r in receiver.received} == {"/all"}


def test_a_webhook_change_reaches_the_next_event_of_the_same_job(app, auth, tenant, receiver):
    # The active webhooks are read once per request or job, not once per event: a change
    # made in between (here: pausing it) must still be seen by the next event.
    api = auth.api(tenant)
    hook = api.post("/webhooks", json={"url": receiver.url(),
                                       "events": ["module.enabled"]}).get_json()
    with in_tenant(app, tenant):
        seen = emit("module.enabled", {"name": "one", "changes": {"enabled": [False, True]}})
        db.session.get(Webhook, (tenant.id, uuid.UUID(hook["id"]))).active = False
        db.session.flush()
        emit("module.enabled", {"name": "two", "changes": {"enabled": [False, True]}})
    assert [d["event_id"] for d in deliveries(api, hook)] == [str(seen.id)]


def test_failures_are_retried_then_dead_until_replayed(app, auth, tenant, receiver):
    api = auth.api(tenant)
    webhook = api.post("/webhooks", json={"url": receiver.url(),
                                          "events": ["account.created"]}).get_json()
    api.post("/accounts", json={"name": "Initech"})
    receiver.fail(MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        assert deliver(app) == 0
    [delivery] = deliveries(api, webhook)
    assert (delivery["status"], delivery["attempts"]) == ("dead", MAX_ATTEMPTS)
    assert delivery["last_error"] == (
        "DeliveryFailed: the receiver answered HTTP 500 Internal Server Error")
    assert deliver(app) == 0
    assert deliveries(api, webhook)[0]["status"] == "dead"

    replay = api.post(f"/webhooks/{webhook['id']}/deliveries/replay")
    assert replay.status_code == 200 and replay.get_json() == {"replayed": 1}
    assert deliver(app) == 1
    [delivery] = deliveries(api, webhook)
    assert (delivery["status"], delivery["attempts"], delivery["last_error"]) == (
        "delivered", 1, None)
    keys = {r.headers["Idempotency-Key"] for r in receiver.received}
    assert len(receiver.received) == MAX_ATTEMPTS + 1 and keys == {delivery["id"]}
    assert api.post(f"/webhooks/{webhook['id']}/deliveries/replay").get_json() == {
        "replayed": 0}
    assert api.get(f"/webhooks/{webhook['id']}/deliveries?status=dead").get_json() == {
        "items": [], "next_cursor": None}


def test_redirects_are_not_followed(app, auth, tenant, receiver):
    api = auth.api(tenant)
    webhook = api.post("/webhooks", json={"url": receiver.url(),
                                          "events": ["account.created"]}).get_json()
    api.post("/accounts", json={"name": "Initech"})
    receiver.fail(1, status=307)
    assert deliver(app) == 0
    assert [r.path for r in receiver.received] == ["/hook"]
    [delivery] = deliveries(api, webhook)
    assert delivery["status"] == "pending" and "HTTP 307" in delivery["last_error"]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fe80::1]/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "ftp://93.184.215.14/hook",
    "http://user:password@93.184.215.14/hook",
    "not a url",
])
def test_unsafe_urls_are_refused_without_the_allow_list(app, auth, tenant, url):
    app.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] = ""
    api = auth.api(tenant)
    response = api.post("/webhooks", json={"url": url})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert list(response.get_json()["errors"]) == ["url"]
    assert api.get("/webhooks?count=true").get_json()["total"] == 0


def test_the_allow_list_opens_only_its_networks(app, auth, tenant):
    api = auth.api(tenant)
    allowed = api.post("/webhooks", json={"url": "http://127.0.0.1:9/hook"})
    assert allowed.status_code == 201
    refused = api.patch(f"/webhooks/{allowed.get_json()['id']}",
                        json={"url": "http://10.1.2.3/hook"})
    assert refused.status_code == 422
    assert "private address" in refused.get_json()["errors"]["url"][0]
    assert api.get(f"/webhooks/{allowed.get_json()['id']}").get_json()["url"] == (
        "http://127.0.0.1:9/hook")
    assert api.post("/webhooks", json={"url": PUBLIC_URL}).status_code == 201


def test_the_url_is_checked_again_at_delivery(app, auth, tenant, receiver):
    api = auth.api(tenant)
    webhook = api.post("/webhooks", json={"url": receiver.url(),
                                          "events": ["account.created"]}).get_json()
    api.post("/accounts", json={"name": "Initech"})
    app.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] = ""
    assert deliver(app) == 0
    assert receiver.received == []
    assert "loopback address" in deliveries(api, webhook)[0]["last_error"]
    app.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8"
    assert deliver(app) == 1


def test_the_opener_refuses_a_peer_outside_the_allowed_addresses(app, receiver):
    with app.app_context():
        app.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] = ""
        with pytest.raises(UnsafeUrl, match="loopback"):
            safe_opener().open(receiver.url(), data=b"{}", timeout=5)
    assert receiver.received == []


def test_a_test_delivery_goes_to_that_webhook_alone(app, auth, tenant, receiver):
    api = auth.api(tenant)
    chosen, other = (api.post("/webhooks", json={"url": receiver.url(path),
                                                 "events": ["account.created"]}).get_json()
                     for path in ("/chosen", "/other"))
    response = api.post(f"/webhooks/{chosen['id']}/test")
    assert response.status_code == 202
    assert response.get_json()["event"] == "webhook.test"
    assert response.get_json()["status"] == "pending"
    assert deliver(app) == 1
    [request] = receiver.received
    assert request.path == "/chosen" and request.headers["X-Patron-Event"] == "webhook.test"
    assert json.loads(request.body)["data"] == {"webhook_id": chosen["id"]}
    assert deliveries(api, other) == []

    api.patch(f"/webhooks/{other['id']}", json={"active": False})
    assert api.post(f"/webhooks/{other['id']}/test").status_code == 409


def test_deleting_a_webhook_drops_its_queue(app, auth, tenant, receiver):
    api = auth.api(tenant)
    webhook = api.post("/webhooks", json={"url": receiver.url(),
                                          "events": ["account.created"]}).get_json()
    api.post("/accounts", json={"name": "Initech"})
    assert api.delete(f"/webhooks/{webhook['id']}").status_code == 204
    assert api.get(f"/webhooks/{webhook['id']}/deliveries").status_code == 404
    assert deliver(app) == 0 and receiver.received == []


def test_deliveries_page_newest_first(app, auth, tenant, receiver):
    api = auth.api(tenant)
    webhook = api.post("/webhooks", json={"url": receiver.url(),
                                          "events": ["account.created"]}).get_json()
    names = [f"Account {i}" for i in range(3)]
    for name in names:
        api.post("/accounts", json={"name": name})
    path = f"/webhooks/{webhook['id']}/deliveries"
    first = api.get(f"{path}?limit=2").get_json()
    second = api.get(f"{path}?limit=2&cursor={first['next_cursor']}").get_json()
    ids = [d["id"] for d in first["items"] + second["items"]]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True)
    assert second["next_cursor"] is None
    assert "cursor" in api.get(f"{path}?cursor=garbage").get_json()["errors"]
    assert "status" in api.get(f"{path}?status=lost").get_json()["errors"]


def test_another_tenant_cannot_see_or_touch_a_webhook(auth, tenant, other_tenant, receiver):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    webhook = acme.post("/webhooks", json={"url": receiver.url()}).get_json()
    path = f"/webhooks/{webhook['id']}"
    assert globex.get("/webhooks").get_json()["items"] == []
    for method, url in [("GET", path), ("PATCH", path), ("DELETE", path),
                        ("POST", f"{path}/test"), ("GET", f"{path}/deliveries"),
                        ("POST", f"{path}/deliveries/replay")]:
        body = {"url": "http://127.0.0.1:9/stolen"} if method == "PATCH" else None
        call = getattr(globex, method.lower())
        assert call(url, json=body).status_code == 404, (method, url)
    assert acme.get(path).get_json()["url"] == receiver.url()


def test_webhooks_need_their_permissions(auth, tenant, make_user):
    rep = make_user(tenant, role="sales_rep")
    assert rep.get("/webhooks").status_code == 403
    assert rep.post("/webhooks", json={"url": PUBLIC_URL}).status_code == 403
