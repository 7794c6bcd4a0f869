"""The sales widgets of the home page: a rep's open deals by stage and stalled deals, a
manager's approvals waiting and team, a quota; each only for whom it concerns."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from patron.db import db
from patron.testing.fixtures import in_tenant


def _widget(html: str, key: str) -> str:
    match = re.search(rf'<section[^>]*id="widget-{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _home(api) -> str:
    page = api.open("/")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_a_rep_sees_their_deals_by_stage_and_what_stalled(app, admin, tenant, make_user,
                                                         stages):
    rep = make_user(tenant, "sales_rep")
    account = rep.post("/accounts", json={"name": "Umbrella"}).get_json()["id"]
    close = datetime.now(UTC).date().isoformat()
    deals = {}
    for name, amount, stage in (("Fleet", "1000", "Initial contact"),
                                ("Support", "250", "Initial contact"),
                                ("Scanners", "400", "Demonstration")):
        made = rep.post("/sales/opportunities", json={
            "name": name, "account_id": account, "amount": amount, "currency": "USD",
            "stage_id": stages[stage]["id"], "expected_close_date": close})
        assert made.status_code == 201, made.get_json()
        deals[name] = made.get_json()
    admin.post("/sales/opportunities", json={"name": "Admin's deal", "account_id": account,
                                             "amount": "9999", "expected_close_date": close})
    html = _home(rep)
    pipeline = _widget(html, "sales-pipeline")
    assert "3 open deals" in pipeline and "$1,650.00" in pipeline and "9,999" not in pipeline
    rows = re.findall(r"<tr>\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*><a href=\"([^\"]+)\">(\d+)</a>",
                      pipeline)
    assert [(name, count) for name, _url, count in rows] == [("Initial contact", "2"),
                                                              ("Demonstration", "1")]
    listed = rep.open(rows[0][1].replace("&amp;", "&")).get_data(as_text=True)
    assert "Fleet" in listed and "Support" in listed and "Scanners" not in listed
    assert "sales-stalled" not in html and "sales-team" not in html
    assert "sales-approvals" not in html

    from patron_sales.models.deals import Opportunity

    with in_tenant(app, tenant):
        db.session.execute(update(Opportunity).where(
            Opportunity.id == uuid.UUID(deals["Support"]["id"])).values(
                stalled_at=datetime.now(UTC) - timedelta(days=3)))
    stalled = _widget(_home(rep), "sales-stalled")
    assert "1 deal has stalled." in stalled and f'/sales/deals/{deals["Support"]["id"]}' in stalled


def test_a_manager_sees_the_approval_a_rep_asks_for_and_the_team(admin, tenant, make_user,
                                                                  stages):
    manager = make_user(tenant, "sales_manager")
    rep = make_user(tenant, "sales_rep")
    assert admin.patch(f"/users/{rep.user_id}",
                       json={"manager_id": manager.user_id}).status_code == 200
    admin.patch("/sales/settings", json={"quote_discount_threshold": "10"})
    account = rep.post("/accounts", json={"name": "Initech"}).get_json()
    product = admin.post("/products", json={"sku": "W-1", "name": "Widget",
                                            "list_price": "100"}).get_json()
    quote = rep.post("/sales/quotes", json={"name": "Big discount", "account_id": account["id"],
                                            "discount_percent": "20"}).get_json()
    rep.post(f"/sales/quotes/{quote['id']}/lines",
             json={"product_id": product["id"], "quantity": "1"})
    assert "sales-approvals" not in _home(manager)
    assert rep.post(f"/sales/quotes/{quote['id']}/approval").status_code == 201
    waiting = _widget(_home(manager), "sales-approvals")
    assert "1 request waits for your decision." in waiting
    assert f"/sales/quotes/{quote['id']}" in waiting and "Big discount" in waiting
    assert "sales-approvals" not in _home(rep) and "sales-approvals" not in _home(admin)
    manager.post(f"/sales/quotes/{quote['id']}/approval/approve", json={})
    assert "sales-approvals" not in _home(manager)


def test_a_manager_sees_the_team_and_a_quota_shows_its_attainment(admin, tenant, make_user,
                                                                  stages):
    manager = make_user(tenant, "sales_manager")
    rep = make_user(tenant, "sales_rep")
    admin.patch(f"/users/{rep.user_id}", json={"manager_id": manager.user_id})
    department = admin.post("/departments", json={"name": "East"}).get_json()["id"]
    for user in (manager, rep):
        admin.patch(f"/users/{user.user_id}", json={"department_id": department})
    account = rep.post("/accounts", json={"name": "Initech"}).get_json()["id"]
    close = datetime.now(UTC).date().isoformat()
    won = rep.post("/sales/opportunities", json={
        "name": "Won", "account_id": account, "amount": "300", "currency": "USD",
        "expected_close_date": close}).get_json()
    rep.patch(f"/sales/opportunities/{won['id']}", json={"stage_id": stages["Won"]["id"]},
              headers={"If-Match": str(won["version"])})
    month = datetime.now(UTC).date().replace(day=1).isoformat()
    assert admin.post("/sales/quotas", json={"user_id": rep.user_id, "amount": "1200",
                                             "currency": "USD", "period_start": month}
                      ).status_code == 201
    team = _widget(_home(manager), "sales-team")
    assert "The team dashboard (2 people)" in team and "$300.00" in team
    quota = _widget(_home(rep), "sales-quota")
    assert "$300.00 of $1,200.00" in quota and "25 %" in quota
    assert "sales-quota" not in _home(manager)  # no quota of their own
