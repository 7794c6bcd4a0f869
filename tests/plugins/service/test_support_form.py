"""The public support form: no sign-in, CSRF-protected, rate-limited, honeypot; it opens a
web-form ticket in the queue that takes them, for the contact found or created by e-mail."""

from __future__ import annotations

import pytest

from patron.testing.fixtures import csrf_token_from

FORM = "/t/acme/support"


@pytest.fixture
def patron_config():
    return {"PATRON_SUPPORT_FORM_RATE_LIMIT": "4 per minute"}


@pytest.fixture
def visitor(app):
    """A browser that has not signed in."""
    return app.test_client()


def _send(visitor, **fields):
    token = csrf_token_from(visitor.get(FORM).get_data(as_text=True))
    return visitor.post(FORM, data={"csrf_token": token, "name": "Peter Gibbons",
                                    "email": "Peter@Initech.test", "subject": "TPS reports",
                                    "description": "The cover sheet is missing.", **fields})


def test_a_sent_form_opens_an_assigned_ticket_for_the_existing_contact(admin, account,
                                                                        visitor, actions):
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
            ticket["queue_id"], ticket["assignee_id"], ticket["status"]) == (
        "TPS reports", "web_form", contact["id"], account["id"], queue.get_json()["id"],
        admin.user_id, "assigned")
    assert ticket["first_response_due_at"] and ticket["resolution_due_at"]
    assert sorted(actions(admin, ticket["id"])) == ["create", "ticket.assigned"]
    assert len(admin.get("/contacts").get_json()["items"]) == 1


def test_an_unknown_sender_becomes_a_contact(admin, visitor):
    assert _send(visitor, email="milton@initech.test", name="Milton Waddams").status_code == 302
    [contact] = admin.get("/contacts?email=milton@initech.test").get_json()["items"]
    assert (contact["first_name"], contact["last_name"]) == ("Milton", "Waddams")
    [ticket] = admin.get("/service/tickets").get_json()["items"]
    assert ticket["contact_id"] == contact["id"] and ticket["assignee_id"] is None


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
    assert visitor.get("/t/nobody/support").status_code == 404
    assert visitor.get("/t/globex/support").status_code == 404
    switch_module(auth.api(tenant), "service")
    assert visitor.get(FORM).status_code == 200
    switch_module(auth.api(tenant), "service", False)
    assert visitor.get(FORM).status_code == 404
