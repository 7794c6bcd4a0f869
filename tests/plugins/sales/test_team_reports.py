"""The team summaries mailed to managers, read off a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from patron.db.mixins import utcnow
from patron.events.worker import run_once
from patron.testing.fixtures import in_tenant
from patron_sales.services.team_reports import send_team_reports

DEALS = "/sales/opportunities"


@pytest.fixture
def patron_config(smtp_inbox):
    return smtp_inbox.config


@pytest.fixture
def team(admin, tenant, make_user, stages):
    """A manager with two reps: Rita works (an activity, a deal moved, then won; an order
    comes with it), Sam does nothing."""
    manager = make_user(tenant, "sales_manager", email="mona@acme.test", name="Mona")
    rita = make_user(tenant, "sales_rep", email="rita@acme.test", name="Rita")
    sam = make_user(tenant, "sales_rep", email="sam@acme.test", name="Sam")
    for rep in (rita, sam):
        assert admin.patch(f"/users/{rep.user_id}",
                           json={"manager_id": manager.user_id}).status_code == 200
    account = rita.post("/accounts", json={"name": "Rita's customer"}).get_json()
    assert rita.post("/activities", json={"kind": "call_out", "subject": "Intro call",
                                          "account_id": account["id"]}).status_code == 201
    deal = rita.post(DEALS, json={"name": "Big one", "account_id": account["id"],
                                  "amount": "1200.00", "currency": "EUR"}).get_json()
    rita.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Demonstration"]["id"]})
    won = rita.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Won"]["id"]})
    assert won.get_json()["status"] == "won", won.get_json()
    return {"manager": manager, "rita": rita, "sam": sam}


def mail_reports(app, tenant, now) -> int:
    with in_tenant(app, tenant):
        return send_team_reports(now)


def test_yesterdays_work_reaches_the_manager_once(app, tenant, team, smtp_inbox):
    tomorrow = utcnow() + timedelta(days=1)  # so that today is "yesterday"
    assert mail_reports(app, tenant, tomorrow) == 3  # the day, the week and the month
    assert mail_reports(app, tenant, tomorrow) == 0  # each period is mailed once
    with app.app_context():
        assert run_once() == 3  # one manager: one mail per period
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["mona@acme.test"] * 3
    daily = next(m for m in smtp_inbox.messages if "team's day" in m["Subject"])
    text = daily.get_content()
    rita = text[text.index("Rita"):text.index("Sam")]
    assert "Activities logged: 1" in rita
    assert "Deals moved to another stage: 2" in rita
    assert "Deals won: 1 (€1,200.00)" in rita
    assert "Deals lost: 0" in rita and "Orders: 1 (€1,200.00)" in rita
    sam = text[text.index("Sam"):]
    assert "Activities logged: 0" in sam and "Deals won: 0" in sam


def test_nothing_is_claimed_without_a_mail_server(app, tenant, team, monkeypatch):
    monkeypatch.setitem(app.config, "PATRON_SMTP_HOST", "")
    assert mail_reports(app, tenant, utcnow() + timedelta(days=1)) == 0
    monkeypatch.setitem(app.config, "PATRON_SMTP_HOST", "127.0.0.1")
    assert mail_reports(app, tenant, utcnow() + timedelta(days=1)) == 3
