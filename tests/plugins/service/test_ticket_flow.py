"""A ticket's day-one flow: the first public reply moves it on (as the tenant's settings
say), a reply says "mailed" only when it was, and the forms ask what each step needs: a new
ticket no status or resolution, a ticket being resolved its resolution."""

from __future__ import annotations

import re

from patron.testing.fixtures import csrf_token_from

TICKETS = "/service/tickets"


def _reply(api, ticket, body="On it.", public=True):
    response = api.post(f"{TICKETS}/{ticket['id']}/replies", json={"body": body,
                                                                    "public": public})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_first_public_reply_starts_the_work_unless_the_tenant_says_not(admin, new_ticket,
                                                                           make_user, tenant):
    assert admin.get("/service/settings").get_json()["first_reply_status"] == "in_progress"
    assigned = new_ticket(assignee_id=admin.user_id)
    assert assigned["status"] == "assigned"
    _reply(admin, assigned, "Internal: checking the logs.", public=False)
    assert admin.get(f"{TICKETS}/{assigned['id']}").get_json()["status"] == "assigned"
    _reply(admin, assigned)
    assert admin.get(f"{TICKETS}/{assigned['id']}").get_json()["status"] == "in_progress"
    history = admin.get(f"{TICKETS}/{assigned['id']}/history").get_json()["items"]
    assert [c["new_value"] for c in history if c["field"] == "status"][-1] == "in_progress"

    agent = make_user(tenant, "service_agent")
    assert agent.patch("/service/settings", json={"first_reply_status": None}).status_code == 403
    refused = admin.patch("/service/settings", json={"first_reply_status": "closed"})
    assert refused.status_code == 422
    assert admin.patch("/service/settings",
                       json={"first_reply_status": None}).status_code == 200
    waiting = new_ticket()
    _reply(admin, waiting)
    assert admin.get(f"{TICKETS}/{waiting['id']}").get_json()["status"] == "new"


def test_without_a_mail_server_a_reply_says_it_was_not_mailed(admin, auth, tenant, client,
                                                               account, new_ticket):
    contact = admin.post("/contacts", json={"last_name": "Doe", "email": "jane@initech.test",
                                            "account_id": account["id"]}).get_json()
    ticket = new_ticket(contact_id=contact["id"])
    reply = _reply(admin, ticket, "The roller is on its way.")
    assert reply["mailed_to"] is None  # no PATRON_SMTP_HOST: nothing was mailed
    auth.login(tenant)
    page = client.get(f"/service/tickets/{ticket['id']}").get_data(as_text=True)
    assert "Not mailed: no mail server is set up" in page and "Mailed to" not in page


def test_a_new_ticket_asks_what_a_new_ticket_needs(admin, auth, tenant, client, new_ticket):
    auth.login(tenant)
    form = client.get("/records/ticket/new").get_data(as_text=True)
    assert 'name="subject"' in form and 'name="priority"' in form
    for later in ("resolution", "root_cause", "status"):
        assert f'name="{later}"' not in form, later
    ticket = new_ticket()
    edit = client.get(f"/records/ticket/{ticket['id']}/edit").get_data(as_text=True)
    box = re.search(r'<div class="([^"]*)"\s*data-shown-when="status" '
                    r'data-shown-values="resolved closed">\s*<label[^>]*for="f-resolution"',
                    edit)
    assert box and "d-none" in box.group(1)  # hidden until the status says resolved
    saved = client.post(f"/records/ticket/{ticket['id']}/edit", data={
        "csrf_token": csrf_token_from(edit), "version": str(ticket["version"]),
        "subject": "Printer jams", "status": "resolved", "resolution": "New roller fitted",
        "priority": "normal", "severity": "moderate", "channel": "api"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[-1500:]
    resolved = admin.get(f"{TICKETS}/{ticket['id']}").get_json()
    assert (resolved["status"], resolved["resolution"]) == ("resolved", "New roller fitted")
    shown = client.get(f"/records/ticket/{ticket['id']}/edit").get_data(as_text=True)
    box = re.search(r'<div class="([^"]*)"\s*data-shown-when="status"', shown)
    assert "d-none" not in box.group(1)
