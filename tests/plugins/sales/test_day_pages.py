"""A rep's "My day" and a manager's team dashboard, through the test client."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from patron.db import db
from patron.testing.fixtures import in_tenant
from patron.testing.queries import counted_statements


def _section(html: str, section_id: str) -> str:
    return re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S).group(0)


def test_my_day_lists_today_stalled_closing_and_leads(app, admin, tenant, make_user, stages):
    rep = make_user(tenant, "sales_rep")
    today = datetime.now(UTC).date()  # the tenant's time zone is UTC
    noon = datetime.combine(today, time(12), tzinfo=UTC)
    account = rep.post("/accounts", json={"name": "Umbrella"}).get_json()["id"]
    for subject, due in (("Call Umbrella", noon), ("Tomorrow's call", noon + timedelta(days=1))):
        made = rep.post("/activities", json={"kind": "task", "subject": subject,
                                             "due_at": due.isoformat(), "account_id": account})
        assert made.status_code == 201, made.get_json()
    admin.post("/activities", json={"kind": "task", "subject": "Admin's call",
                                    "due_at": noon.isoformat()})
    closing = rep.post("/sales/opportunities", json={
        "name": "Closing soon", "account_id": account, "amount": "300",
        "expected_close_date": today.isoformat()}).get_json()
    stuck = rep.post("/sales/opportunities", json={
        "name": "Stuck deal", "account_id": account,
        "expected_close_date": (today + timedelta(days=62)).isoformat()}).get_json()
    from patron_sales.models.deals import Opportunity

    with in_tenant(app, tenant):
        db.session.execute(update(Opportunity).where(Opportunity.id == uuid.UUID(stuck["id"]))
                           .values(stalled_at=noon - timedelta(days=3)))
    lead = rep.post("/sales/leads", json={"last_name": "Prospect", "company": "Acme"}).get_json()
    page = rep.open("/sales/my-day")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    activities = _section(html, "my-activities")
    assert "Call Umbrella" in activities
    assert "Tomorrow's call" not in activities and "Admin's call" not in activities
    assert f'/sales/deals/{stuck["id"]}' in _section(html, "my-stalled")
    closing_soon = _section(html, "my-closing")
    assert f'/sales/deals/{closing["id"]}' in closing_soon and "Stuck deal" not in closing_soon
    assert f'/sales/leads/{lead["id"]}/convert' in _section(html, "my-leads")
    assert 'href="/sales/my-day"' in html and 'href="/sales/forecast"' in html
    assert 'href="/sales/team"' not in html  # a rep's scope is their own deals


def test_team_dashboard_per_member_in_constant_queries(app, admin, tenant, make_user, stages):
    east = admin.post("/departments", json={"name": "East"}).get_json()["id"]
    west = admin.post("/departments", json={"name": "West"}).get_json()["id"]
    boss = make_user(tenant, "sales_manager", department_id=east, name="Boss")
    ann = make_user(tenant, "sales_rep", department_id=east, name="Ann")
    carl = make_user(tenant, "sales_rep", department_id=west, name="Carl")
    account = ann.post("/accounts", json={"name": "Stark"}).get_json()["id"]
    for name, amount, stage in (("Open one", "1000", None), ("Won one", "500", "Won")):
        deal = ann.post("/sales/opportunities", json={
            "name": name, "account_id": account, "amount": amount}).get_json()
        if stage:
            ann.patch(f"/sales/opportunities/{deal['id']}", json={"stage_id": stages[stage]["id"]})
    carl.post("/sales/opportunities", json={"name": "West deal", "amount": "9",
                                            "account_id": carl.post("/accounts", json={
                                                "name": "Wayne"}).get_json()["id"]})
    now = datetime.now(UTC).isoformat()
    ann.post("/activities", json={"kind": "task", "subject": "A", "due_at": now})
    ann.post("/activities", json={"kind": "task", "subject": "B", "due_at": now,
                                  "status": "done"})
    boss.open("/sales/team")  # the first request of a token also records its first use
    with counted_statements(app) as small:
        page = boss.open("/sales/team")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = {re.search(r"<td>(.*?)</td>", row).group(1): re.sub(r"\s+", " ", row)
            for row in re.findall(r"<tr data-user-id=.*?</tr>", html, re.S)}
    assert set(rows) == {"Boss", "Ann"}  # the department tree; Carl is in West
    assert "$1,000.00" in rows["Ann"] and "$500.00" in rows["Ann"] and "1 deal" in rows["Ann"]
    assert ">2<div" in rows["Ann"].replace(" ", "") and "1 done" in rows["Ann"]
    assert 'href="/sales/team"' in html  # the manager's menu has the dashboard
    for index in range(3):  # more people and deals: the same number of statements
        rep = make_user(tenant, "sales_rep", department_id=east, name=f"Rep {index}")
        rep.post("/sales/opportunities", json={"name": f"Deal {index}", "account_id": account})
        rep.post("/activities", json={"kind": "task", "subject": "C", "due_at": now})
    with counted_statements(app) as large:
        assert boss.open("/sales/team").status_code == 200
    assert len(large) == len(small)
    assert "West deal" not in html and "Carl" not in html


def test_today_is_the_tenants_day(admin, tenant, make_user):
    """In Kiritimati (UTC+14) the local day starts at 10:00 UTC the day before."""
    assert admin.patch("/tenant", json={"timezone": "Pacific/Kiritimati"}).status_code == 200
    rep = make_user(tenant, "sales_rep")
    zone = ZoneInfo("Pacific/Kiritimati")
    today = datetime.now(zone).date()
    for subject, local in (("Early today", datetime.combine(today, time(0, 30))),
                           ("Late yesterday", datetime.combine(today, time(0, 30))
                            - timedelta(hours=1))):
        due = local.replace(tzinfo=zone).astimezone(UTC)
        made = rep.post("/activities", json={"kind": "task", "subject": subject,
                                             "due_at": due.isoformat()})
        assert made.status_code == 201, made.get_json()
    activities = _section(rep.open("/sales/my-day").get_data(as_text=True), "my-activities")
    assert "Early today" in activities and "Late yesterday" not in activities
