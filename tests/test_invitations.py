"""Inviting colleagues: a link (e-mailed through the outbox to a real SMTP server, or shown
to the admin when no mail server is set up) with which they choose their own password."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from patron.db import db
from patron.events.models import OutboxMessage
from patron.events.worker import run_once
from patron.testing.fixtures import csrf_token_from, in_tenant
from patron.testing.smtp import free_port, smtp_config

NEW_PASSWORD = "a-fine-password-9"


def new_user(api, email: str = "nina@acme.test") -> dict:
    role = api.get("/roles?key=sales_rep").get_json()["items"][0]
    response = api.post("/users", json={"email": email, "name": "Nina", "role_id": role["id"]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def deliver(app) -> int:
    with app.app_context():
        return run_once()


def choose_password(client, link: str, password: str, confirm: str | None = None):
    page = client.get(link)
    assert page.status_code == 200
    return client.post(link, data={"csrf_token": csrf_token_from(page.get_data(as_text=True)),
                                   "password": password, "confirm": confirm or password})


def token_for(app, tenant, email: str, password: str):
    """Ask for an API token with a password (from a client without a session)."""
    return app.test_client().post("/api/v1/auth/token", json={"tenant": tenant.slug, "email": email,
                                                   "password": password})


class TestByMail:
    @pytest.fixture
    def patron_config(self, smtp_inbox):
        return {**smtp_inbox.config, "PATRON_BASE_URL": "https://crm.example.test"}

    def test_the_mailed_link_sets_the_password_once(self, app, auth, tenant, smtp_inbox):
        api = auth.api(tenant)
        user = new_user(api)
        sent = api.post(f"/users/{user['id']}/invitation")
        assert sent.status_code == 202 and sent.get_json()["mailed"] is True
        assert smtp_inbox.messages == []  # queued with the change, sent by the worker
        assert deliver(app) == 1
        [mail] = smtp_inbox.messages
        assert mail["To"] == "nina@acme.test" and "invites you to Patron" in mail["Subject"]
        link = re.search(r"https://crm\.example\.test(/invitation/\S+)",
                         mail.get_content()).group(1)
        assert link == sent.get_json()["link"].removeprefix("https://crm.example.test")

        client = app.test_client()
        assert token_for(app, tenant, "nina@acme.test", NEW_PASSWORD).status_code == 401
        signed_in = choose_password(client, link, NEW_PASSWORD)
        assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
        assert "Welcome, Nina" in client.get("/").get_data(as_text=True)
        assert token_for(app, tenant, "nina@acme.test", NEW_PASSWORD).status_code == 201
        assert app.test_client().get(link).status_code == 404  # used up
        assert api.post(f"/users/{user['id']}/invitation").status_code == 409
        events = api.get(f"/audit-events?record_id={user['id']}").get_json()["items"]
        assert "user.invitation_accepted" in {e["action"] for e in events}


class TestMailServerDown:
    @pytest.fixture
    def patron_config(self):
        return {**smtp_config(free_port()), "PATRON_OUTBOX_BACKOFF_SECONDS": 0}

    def test_the_mail_stays_queued_with_the_reason(self, app, auth, tenant):
        api = auth.api(tenant)
        api.post(f"/users/{new_user(api)['id']}/invitation")
        assert deliver(app) == 0
        with in_tenant(app, tenant):
            [message] = db.session.execute(
                select(OutboxMessage).where(OutboxMessage.channel == "mail")).scalars()
            assert (message.status, message.attempts) == ("pending", 1)
            assert "Connection refused" in message.last_error


def test_without_a_mail_server_the_admin_gets_the_link(app, auth, tenant, client):
    auth.login(tenant)
    page = client.get("/admin/users")
    role = auth.api(tenant).get("/roles?key=sales_rep").get_json()["items"][0]
    invited = client.post("/admin/users", follow_redirects=True, data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "email": "omar@acme.test",
        "name": "Omar", "role_id": role["id"], "password": ""})
    text = invited.get_data(as_text=True)
    assert invited.status_code == 200 and "No mail server is set up" in text
    link = re.search(r"http://localhost(/invitation/[^\s<]+)", text).group(1)

    stranger = app.test_client()
    short = choose_password(stranger, link, "short")
    assert short.status_code == 422 and "at least 8 characters" in short.get_data(as_text=True)
    differ = choose_password(stranger, link, NEW_PASSWORD, "something-else-1")
    assert differ.status_code == 422 and "The two passwords differ." in differ.get_data(
        as_text=True)
    assert token_for(app, tenant, "omar@acme.test", "short").status_code == 401
    assert choose_password(stranger, link, NEW_PASSWORD).status_code == 302
    assert token_for(app, tenant, "omar@acme.test", NEW_PASSWORD).status_code == 201


def test_forged_and_revoked_links_are_refused(app, auth, tenant, other_tenant):
    api = auth.api(tenant)
    user = new_user(api)
    link = api.post(f"/users/{user['id']}/invitation").get_json()["link"]
    path = link.removeprefix("http://localhost")
    client = app.test_client()
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    assert client.get("/invitation/not-a-token").status_code == 404
    assert auth.api(other_tenant).post(f"/users/{user['id']}/invitation").status_code == 404
    api.patch(f"/users/{user['id']}", json={"is_active": False},
              headers={"If-Match": str(user["version"])})
    assert client.get(path).status_code == 404  # deactivated meanwhile


def test_inviting_needs_the_permission(auth, tenant, make_user):
    api = auth.api(tenant)
    user = new_user(api)
    rep = make_user(tenant, "sales_rep")
    assert rep.post(f"/users/{user['id']}/invitation").status_code == 403
