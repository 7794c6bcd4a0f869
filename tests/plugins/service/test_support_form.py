"""The public support form: no sign-in, CSRF-protected, rate-limited, honeypot; it opens a
web-form ticket in the queue that takes them, for a new sender's new contact, and for a known
address only once the confirmation mail's link is followed."""

from __future__ import annotations

import re

import pytest

from patron.events.worker import run_once
from patron.testing.fixtures import csrf_token_from

FORM = "/t/acme/support"


@pytest.fixture
def patron_config(smtp_inbox):
    return {"PATRON_SUPPORT_FORM_RATE_LIMIT": "4 per minute", **smtp_inbox.config}


@pytest.fixture
def visitor(app):
    """A browser that has not signed in."""
    return app.test_client()


def _send(visitor, **fields):
    token = csrf_token_from(visitor.get(FORM).get_data(as_text=True))
    return visitor.post(FORM, data={"csrf_token": token, "name": "Peter Gibbons",
                                    "email": "Peter@Initech.test", "subject": "TPS reports",
                                    "description": "The cover sheet is missing.", **fields})


def _confirmation_link(app, smtp_inbox) -> str:
    with app.app_context():
        run_once()
    [mail] = smtp_inbox.messages
    assert mail["To"] == "peter@initech.test"
    assert mail["Subject"] == "Please confirm your request: TPS reports"
    return re.search(r"http://\S+", mail.get_content())[0]


def test_a_known_address_gets_the_ticket_only_once_it_confirms(app, admin, account, visitor,
                                                                actions, smtp_inbox):
    """The repro: the form attached an anonymous ticket to an existing contact and account
    by e-mail alone. Now it waits for the confirmation link."""
    contact = admin.post("/contacts", json={"last_name": "Gibbons", "email": "peter@initech.test",
                                            "account_id": account["id"]}).get_json()
    queue = admin.post("/service/queues", json={"name": "Web", "rule": "round_robin",
                                                "channels": ["web_form"],
                                                "member_ids": [admin.user_id]})
    assert queue.status_code == 201, queue.get_json()
    page = visitor.get(FORM)
    assert page.status_code == 200 and "Contact Acme support" in page.get_data(as_text=True)
    sent = _send(visitor)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("?sent=1")
    assert "Thank you" in visitor.get(sent.headers["Location"]).get_data(as_text=True)
    [ticket] = admin.get("/service/tickets").get_json()["items"]
    assert (ticket["subject"], ticket["channel"], ticket["contact_id"], ticket["account_id"],
            ticket["sender_email"], ticket["queue_id"], ticket["assignee_id"],
            ticket["status"]) == (
        "TPS reports", "web_form", None, None, "peter@initech.test", queue.get_json()["id"],
        admin.user_id, "assigned")
    assert ticket["first_response_due_at"] and ticket["resolution_due_at"]
    assert sorted(actions(admin, ticket["id"])) == ["create", "ticket.assigned"]
    assert len(admin.get("/contacts").get_json()["items"]) == 1

    link = _confirmation_link(app, smtp_inbox)
    path = link.removeprefix("http://localhost")
    assert visitor.get(path.replace("/confirm/", "/confirm/x")).status_code == 404  # forged
    page = visitor.get(path)
    assert page.status_code == 200 and "TPS reports" in page.get_data(as_text=True)
    assert admin.get(f"/service/tickets/{ticket['id']}").get_json()["contact_id"] is None
    forged = visitor.post(path)  # without the page's CSRF token
    assert forged.status_code == 400
    confirmed = visitor.post(path, data={"csrf_token": csrf_token_from(
        page.get_data(as_text=True))})
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[-3000:]
    assert "is confirmed" in visitor.get(path).get_data(as_text=True)
    linked = admin.get(f"/service/tickets/{ticket['id']}").get_json()
    assert (linked["contact_id"], linked["account_id"]) == (contact["id"], account["id"])
    assert "update" in actions(admin, ticket["id"])


def test_a_link_of_another_tenant_opens_nothing(app, auth, admin, other_tenant, visitor,
                                                smtp_inbox, switch_module):
    admin.post("/contacts", json={"last_name": "Gibbons", "email": "peter@initech.test"})
    _send(visitor)
    path = _confirmation_link(app, smtp_inbox).removeprefix("http://localhost")
    switch_module(auth.api(other_tenant), "service")
    assert visitor.get(path.replace("/t/acme/", "/t/globex/")).status_code == 404


def test_an_unknown_sender_becomes_a_contact(app, admin, visitor, smtp_inbox):
    sent = _send(visitor, email="milton@initech.test", name="Milton Waddams")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("?sent=1")
    [contact] = admin.get("/contacts?email=milton@initech.test").get_json()["items"]
    assert (contact["first_name"], contact["last_name"]) == ("Milton", "Waddams")
    [ticket] = admin.get("/service/tickets").get_json()["items"]
    assert ticket["contact_id"] == contact["id"] and ticket["assignee_id"] is None
    with app.app_context():
        run_once()
    assert smtp_inbox.messages == []  # nothing to confirm: the contact is new


def test_bad_input_forged_posts_and_bots_change_nothing(admin, visitor):
    refused = _send(visitor, email="not-an-address", subject="")
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Enter a valid e-mail address." in text and "This field is required." in text
    forged = visitor.post(FORM, data={"name": "X", "email": "x@x.test", "subject": "S",
                                      "description": "D"})
    assert forged.status_code == 400
    bot = _send(visitor, website="https://spam.test")
    assert bot.status_code == 302  # thanked like a person, and dropped
    assert admin.get("/service/tickets").get_json()["items"] == []
    assert admin.get("/contacts").get_json()["items"] == []


def test_submissions_are_rate_limited(admin, visitor):
    for _ in range(4):
        assert _send(visitor).status_code == 302
    assert _send(visitor).status_code == 429
    assert len(admin.get("/service/tickets").get_json()["items"]) == 4


def test_absent_for_unknown_tenants_and_tenants_without_the_module(auth, tenant, other_tenant,
                                                                   visitor, switch_module):
    missing, closed = visitor.get("/t/nobody/support"), visitor.get("/t/globex/support")
    assert missing.status_code == closed.status_code == 404
    assert missing.get_data() == closed.get_data()  # nothing tells which tenants exist
    switch_module(auth.api(tenant), "service")
    assert visitor.get(FORM).status_code == 200
    switch_module(auth.api(tenant), "service", False)
    assert visitor.get(FORM).status_code == 404
