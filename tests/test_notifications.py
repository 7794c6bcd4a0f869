"""Notifications: a manager hears of the approval a rep asks for (the bell, the list, the
API), the rep hears of the decision, an agent of the ticket assigned to them; each in their
own language, by mail at once or in a daily digest when they ask for it, never told of
what they did themselves and never of another user's or tenant's."""

from __future__ import annotations

import re

import pytest

from patron.db import tenant_context
from patron.events.worker import run_once
from patron.notifications.services import mail_daily_digests
from patron.testing.fixtures import csrf_token_from


@pytest.fixture
def patron_config(smtp_inbox):
    return smtp_inbox.config


@pytest.fixture
def team(auth, tenant, make_user, switch_module):
    admin = auth.api(tenant)
    for module in ("sales", "service"):
        switch_module(admin, module)
    manager = make_user(tenant, "sales_manager", email="maria@acme.test", name="Maria")
    rep = make_user(tenant, "sales_rep", email="erik@acme.test", name="Erik")
    admin.patch(f"/users/{rep.user_id}", json={"manager_id": manager.user_id})
    admin.patch("/sales/settings", json={"quote_discount_threshold": "10"})
    product = admin.post("/products", json={"sku": "PR-9", "name": "Printer",
                                            "list_price": "500"}).get_json()
    account = rep.post("/accounts", json={"name": "Initech"}).get_json()
    quote = rep.post("/sales/quotes", json={"name": "Initech printers",
                                            "account_id": account["id"],
                                            "discount_percent": "20"}).get_json()
    rep.post(f"/sales/quotes/{quote['id']}/lines", json={"product_id": product["id"],
                                                         "quantity": "2"})
    return {"admin": admin, "manager": manager, "rep": rep, "quote": quote}


def _bell(html: str) -> str:
    return re.search(r'<a[^>]*id="bell".*?</a>', html, re.S).group(0)


def test_the_manager_hears_of_the_approval_and_opens_it_from_the_bell(auth, tenant, client,
                                                                       team):
    manager, rep, quote = team["manager"], team["rep"], team["quote"]
    assert rep.post(f"/sales/quotes/{quote['id']}/approval").status_code == 201
    assert rep.get("/me/notifications").get_json() == {"items": [], "unread": 0}
    listed = manager.get("/me/notifications").get_json()
    assert listed["unread"] == 1
    [notice] = listed["items"]
    assert notice["text"].startswith("Erik asks you to approve Initech printers (discount")
    assert notice["kind"] == "sales.approval_requested"
    assert notice["link"] == f"/sales/quotes/{quote['id']}" and notice["read_at"] is None

    auth.login(tenant, "maria@acme.test")
    home = client.get("/").get_data(as_text=True)
    assert 'id="bell-count">1<' in _bell(home)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Erik asks you to approve Initech printers" in page
    opened = client.post(f"/notifications/{notice['id']}/open",
                         data={"csrf_token": csrf_token_from(page)})
    assert opened.status_code == 302 and opened.headers["Location"] == notice["link"]
    assert "bell-count" not in _bell(client.get("/notifications/bell").get_data(as_text=True))
    assert manager.get("/me/notifications").get_json()["unread"] == 0

    decided = manager.post(f"/sales/quotes/{quote['id']}/approval/reject",
                           json={"comment": "Ten per cent at most"})
    assert decided.status_code == 200, decided.get_json()
    [told] = rep.get("/me/notifications").get_json()["items"]
    assert told["text"] == "Maria refused Initech printers: Ten per cent at most"
    assert manager.get("/me/notifications").get_json()["unread"] == 0  # not of their own act


def test_an_agent_hears_of_a_ticket_assigned_in_their_language(auth, tenant, other_tenant,
                                                                make_user, team):
    admin = team["admin"]
    agent = make_user(tenant, "service_agent", email="sam@acme.test")
    assert admin.patch(f"/users/{agent.user_id}", json={"locale": "zh_Hans"}).status_code == 200
    ticket = admin.post("/service/tickets", json={"subject": "Toner smears",
                                                  "assignee_id": agent.user_id}).get_json()
    [notice] = agent.get("/me/notifications").get_json()["items"]
    assert notice["text"] == "工单 Toner smears 已分配给您。"
    assert notice["link"] == f"/service/tickets/{ticket['id']}"
    own = admin.post("/service/tickets", json={"subject": "Mine",
                                               "assignee_id": admin.user_id})
    assert own.status_code == 201
    assert admin.get("/me/notifications").get_json()["items"] == []
    outsider = auth.api(other_tenant)
    assert outsider.post(f"/me/notifications/{notice['id']}/read").status_code == 404
    assert team["rep"].post(f"/me/notifications/{notice['id']}/read").status_code == 404
    assert agent.post(f"/me/notifications/{notice['id']}/read").get_json()["read_at"]
    assert agent.post("/me/notifications/read-all").get_json() == {"marked": 0}


def test_mail_at_once_or_in_a_daily_digest(app, tenant, team, smtp_inbox):
    manager, rep, quote = team["manager"], team["rep"], team["quote"]
    refused = manager.put("/me/notification-settings", json={"notify_by_email": "hourly"})
    assert refused.status_code == 422 and "notify_by_email" in refused.get_json()["errors"]
    assert manager.put("/me/notification-settings",
                       json={"notify_by_email": "immediately"}).status_code == 200
    assert rep.put("/me/notification-settings",
                   json={"notify_by_email": "daily"}).get_json() == {"notify_by_email": "daily"}
    rep.post(f"/sales/quotes/{quote['id']}/approval")
    with app.app_context():
        run_once()
    [mail] = smtp_inbox.messages
    assert mail["To"] == "maria@acme.test"
    assert str(mail["Subject"]).strip().startswith("Erik asks you to approve Initech printers")
    assert f"http://localhost/sales/quotes/{quote['id']}" in mail.get_content()
    smtp_inbox.messages.clear()

    manager.post(f"/sales/quotes/{quote['id']}/approval/approve", json={})
    with app.app_context():
        run_once()
    assert smtp_inbox.messages == []  # the rep asked for a digest
    with app.test_request_context(), tenant_context(tenant.id):
        assert mail_daily_digests() == 1
        assert mail_daily_digests() == 0  # each notification goes out once
        from patron.db import db

        db.session.commit()
    with app.app_context():
        run_once()
    [digest] = smtp_inbox.messages
    assert digest["To"] == "erik@acme.test"
    assert str(digest["Subject"]).strip() == "Your notifications of the day (1)"
    assert "- Maria approved Initech printers." in digest.get_content()


def test_the_settings_page_saves_the_choice(auth, tenant, client, team):
    auth.login(tenant, "maria@acme.test")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Once a day, in one digest" in page
    saved = client.post("/notifications/settings", data={
        "csrf_token": csrf_token_from(page), "notify_by_email": "daily"})
    assert saved.status_code == 302
    assert team["manager"].get("/me/notification-settings").get_json() == {
        "notify_by_email": "daily"}
    bad = client.post("/notifications/settings", data={
        "csrf_token": csrf_token_from(page), "notify_by_email": "hourly"})
    assert bad.status_code == 422


def test_a_role_that_hides_the_subject_is_told_without_it(auth, tenant, make_user, team):
    """What a role may not see is absent from its notifications (and their mails) too."""
    admin = team["admin"]
    role = admin.get("/roles?key=service_agent").get_json()["items"][0]
    assert admin.patch(f"/roles/{role['id']}", json={
        "field_access": {"ticket": {"subject": "hidden"}}}).status_code == 200
    agent = make_user(tenant, "service_agent")
    admin.post("/service/tickets", json={"subject": "Secret merger printer",
                                         "assignee_id": agent.user_id})
    [notice] = agent.get("/me/notifications").get_json()["items"]
    assert notice["text"] == "A ticket is assigned to you."
    admin.post("/service/tickets", json={"subject": "Shown to reps",
                                         "assignee_id": team["rep"].user_id})
    [told] = team["rep"].get("/me/notifications").get_json()["items"]
    assert told["text"] == "The ticket Shown to reps is assigned to you."
