"""Replies on tickets: public ones reach the customer by mail and make the first response
(meeting or breaching its SLA target), internal notes stay with the team; out of scope, a
ticket's replies are 404."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from patron.db import db
from patron.events.worker import run_once
from patron.testing.fixtures import csrf_token_from, in_tenant
from patron_service.models.tickets import Ticket

TICKETS = "/service/tickets"


@pytest.fixture
def patron_config(smtp_inbox):
    return smtp_inbox.config


@pytest.fixture
def customer(admin, account):
    """A contact of the account with an e-mail address."""
    response = admin.post("/contacts", json={"first_name": "Jane", "last_name": "Doe",
                                             "account_id": account["id"],
                                             "emails": ["jane@initech.test"]})
    assert response.status_code == 201
    return response.get_json()


def _reply(api, ticket, body, public):
    return api.post(f"{TICKETS}/{ticket['id']}/replies", json={"body": body, "public": public})


def test_a_public_reply_is_the_first_response_and_is_mailed_to_the_contact(
        app, admin, new_ticket, customer, smtp_inbox, actions):
    ticket = new_ticket(contact_id=customer["id"], assignee_id=admin.user_id)
    working = admin.patch(f"{TICKETS}/{ticket['id']}", json={"status": "in_progress"})
    assert working.get_json()["first_responded_at"] is None  # a status is no response
    note = _reply(admin, ticket, "Roller looks worn, ordering one.", False)
    assert note.status_code == 201
    assert note.get_json()["public"] is False and note.get_json()["mailed_to"] is None
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json()["first_responded_at"] is None
    reply = _reply(admin, ticket, "We are on it: a new roller is on its way.", True)
    assert reply.status_code == 201
    assert reply.get_json()["mailed_to"] == "jane@initech.test"
    answered = admin.get(f"{TICKETS}/{ticket['id']}").get_json()
    assert answered["first_responded_at"] == reply.get_json()["created_at"]
    assert answered["first_response_breached_at"] is None  # met: well before it was due
    _reply(admin, ticket, "Fitted it.", True)
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json()["first_responded_at"] == (
        answered["first_responded_at"])
    listed = admin.get(f"{TICKETS}/{ticket['id']}/replies").get_json()["items"]
    assert [(r["body"], r["public"]) for r in listed] == [
        ("Roller looks worn, ordering one.", False),
        ("We are on it: a new roller is on its way.", True), ("Fitted it.", True)]
    assert {r["author_id"] for r in listed} == {admin.user_id}
    history = admin.get(f"{TICKETS}/{ticket['id']}/history").get_json()["items"]
    assert [c["new_value"] for c in history if c["field"] == "reply"] == [
        r["id"] for r in listed]
    with app.app_context():
        assert run_once() == 2
    assert [(m["To"], m["Subject"]) for m in smtp_inbox.messages] == [
        ("jane@initech.test", "Re: Printer jams"), ("jane@initech.test", "Re: Printer jams")]
    assert smtp_inbox.messages[0].get_content().strip() == (
        "We are on it: a new roller is on its way.")
    assert "ticket.sla_breached" not in actions(admin, ticket["id"])


def test_a_late_first_reply_breaches_the_first_response_target(app, admin, tenant, new_ticket,
                                                                actions):
    ticket = new_ticket()
    due = datetime.now(UTC) - timedelta(minutes=5)
    with in_tenant(app, tenant):
        db.session.execute(select(Ticket).where(Ticket.id == uuid.UUID(ticket["id"]))
                           ).scalar_one().first_response_due_at = due
    assert _reply(admin, ticket, "Sorry for the wait.", True).status_code == 201
    late = admin.get(f"{TICKETS}/{ticket['id']}").get_json()
    assert late["first_responded_at"] and late["first_response_breached_at"] == (
        late["first_responded_at"])
    assert actions(admin, ticket["id"]).count("ticket.sla_breached") == 1


def test_a_late_first_reply_breaches_as_the_sla_watch_does(app, admin, tenant, make_user,
                                                           new_ticket, smtp_inbox):
    """The breach a late reply finds is announced like the watch's: the assignee and the
    queue's lead are mailed, and a policy that says so raises the priority."""
    standard = admin.get("/service/sla-policies").get_json()["items"][0]
    admin.patch(f"/service/sla-policies/{standard['id']}", json={"raise_priority": True})
    agent, lead = (make_user(tenant, "service_agent", email=f"{who}@acme.test")
                   for who in ("agent", "lead"))
    queue = admin.post("/service/queues", json={"name": "Desk", "lead_id": lead.user_id})
    ticket = new_ticket(subject="Slow", queue_id=queue.get_json()["id"],
                        assignee_id=agent.user_id)
    with in_tenant(app, tenant):
        db.session.execute(select(Ticket).where(Ticket.id == uuid.UUID(ticket["id"]))
                           ).scalar_one().first_response_due_at = (
            datetime.now(UTC) - timedelta(minutes=5))
    assert _reply(agent, ticket, "Sorry for the wait.", True).status_code == 201
    late = admin.get(f"{TICKETS}/{ticket['id']}").get_json()
    assert late["first_response_breached_at"] and late["priority"] == "high"
    with app.app_context():
        assert run_once() == 2
    assert sorted((m["To"], m["Subject"]) for m in smtp_inbox.messages) == [
        ("agent@acme.test", "SLA breached: Slow"), ("lead@acme.test", "SLA breached: Slow")]


def test_a_ticket_without_a_contact_address_gets_no_mail(app, admin, new_ticket, smtp_inbox):
    ticket = new_ticket()
    reply = _reply(admin, ticket, "Noted.", True)
    assert reply.status_code == 201 and reply.get_json()["mailed_to"] is None
    with app.app_context():
        assert run_once() == 0
    assert smtp_inbox.messages == []


def test_an_empty_reply_is_refused_and_changes_nothing(admin, new_ticket):
    ticket = new_ticket()
    for body in ("", "   "):
        refused = _reply(admin, ticket, body, True)
        assert refused.status_code == 422 and "body" in refused.get_json()["errors"]
    assert _reply(admin, ticket, "x" * 20001, False).status_code == 422
    assert admin.post(f"{TICKETS}/{ticket['id']}/replies", json={}).status_code == 422
    assert admin.get(f"{TICKETS}/{ticket['id']}/replies").get_json() == {"items": []}
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json() == ticket


def test_who_cannot_see_the_ticket_gets_404_on_its_replies(admin, tenant, make_user,
                                                           new_ticket):
    ticket = new_ticket()
    _reply(admin, ticket, "Internal: VIP customer.", False)
    technician = make_user(tenant, "technician")
    assert technician.get(f"{TICKETS}/{ticket['id']}").status_code == 404
    assert technician.get(f"{TICKETS}/{ticket['id']}/replies").status_code == 404
    mine = new_ticket(assignee_id=technician.user_id)
    assert [r["body"] for r in technician.get(f"{TICKETS}/{mine['id']}/replies").get_json()[
        "items"]] == []
    # A technician reads tickets but does not write replies, on any ticket.
    for other in (ticket, mine):
        assert _reply(technician, other, "Hi", True).status_code == 403
    assert len(admin.get(f"{TICKETS}/{ticket['id']}/replies").get_json()["items"]) == 1


def test_the_ticket_page_shows_replies_and_takes_new_ones(admin, auth, tenant, client,
                                                          new_ticket, customer):
    ticket = new_ticket(contact_id=customer["id"])
    auth.login(tenant)
    page = f"/service/tickets/{ticket['id']}"
    html = client.get(page).get_data(as_text=True)
    assert "No replies yet." in html and 'name="public"' in html
    token = csrf_token_from(html)
    posted = client.post(f"{page}/replies", data={"csrf_token": token, "body": "On our way",
                                                  "public": "1"})
    assert posted.status_code == 302 and posted.headers["Location"] == page
    client.post(f"{page}/replies", data={"csrf_token": token, "body": "Bring a ladder"})
    html = client.get(page).get_data(as_text=True)
    assert html.index("On our way") < html.index("Bring a ladder")
    assert 'data-reply="public"' in html and 'data-reply="internal"' in html
    assert "Mailed to jane@initech.test" in html
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json()["first_responded_at"]
    empty = client.post(f"{page}/replies", data={"csrf_token": token, "body": " "},
                        follow_redirects=True)
    assert "Write the reply first." in empty.get_data(as_text=True)
    assert len(admin.get(f"{TICKETS}/{ticket['id']}/replies").get_json()["items"]) == 2
    client.post("/language", data={"csrf_token": token, "locale": "zh_Hans"})
    chinese = client.get(page).get_data(as_text=True)
    assert "回复客户" in chinese and "内部备注" in chinese and "添加回复" in chinese


def test_an_agent_without_the_knowledge_base_works_the_ticket_page(admin, auth, tenant, client,
                                                                   new_ticket, make_user):
    ticket = new_ticket()
    role = admin.post("/roles", json={
        "key": "desk_only", "name": "Desk only", "default_scope": "all",
        "permissions": ["service.tickets.read", "service.tickets.update"]}).get_json()
    assert role.get("key") == "desk_only", role
    make_user(tenant, role="desk_only", email="desk@acme.test")
    auth.login(tenant, email="desk@acme.test")
    page = f"/service/tickets/{ticket['id']}"
    shown = client.get(page)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'name="public"' in html
    assert 'id="linked-articles"' not in html and 'id="suggested-articles"' not in html
    posted = client.post(f"{page}/replies", data={"csrf_token": csrf_token_from(html),
                                                  "body": "Looking into it"})
    assert posted.status_code == 302
    assert client.post(f"{page}/articles", data={"csrf_token": csrf_token_from(html),
                                                 "article_id": ticket["id"]}).status_code == 403
    assert [r["body"] for r in admin.get(f"{TICKETS}/{ticket['id']}/replies").get_json()[
        "items"]] == ["Looking into it"]
