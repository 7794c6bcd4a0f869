"""The service widgets of the home page: a technician's jobs of today, and an agent's open
tickets by SLA state, each linking to the list behind its numbers."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from patron.db import db
from patron.testing.fixtures import in_tenant
from tests.plugins.service.test_my_jobs import _job, _technician


def _widget(html: str, key: str) -> str:
    match = re.search(rf'<section[^>]*id="widget-{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _keys(html: str) -> list[str]:
    return re.findall(r'<section[^>]*id="widget-([\w-]+)"', html)


def test_a_technician_starts_with_today_s_jobs(admin, tenant, make_user):
    tess_api, tess = _technician(admin, tenant, make_user, "Tess")
    _, otto = _technician(admin, tenant, make_user, "Otto")
    _job(admin, "Boiler", tess, 9)
    _job(admin, "Pump", otto, 9)
    html = tess_api.open("/").get_data(as_text=True)
    assert _keys(html)[0] == "service-todays_jobs"
    jobs = _widget(html, "service-todays_jobs")
    assert "Boiler" in jobs and "Pump" not in jobs and "09:00" in jobs
    assert "service-todays_jobs" not in _keys(admin.open("/").get_data(as_text=True))
    [notice] = tess_api.get("/me/notifications").get_json()["items"]  # and she was told
    assert notice["text"] == "The work order Boiler is scheduled for you."
    assert notice["link"] == "/service/my-jobs"


def test_an_agent_sees_open_tickets_by_sla_state(app, admin, tenant, make_user, new_ticket):
    agent = make_user(tenant, "service_agent")
    tickets = {name: new_ticket(subject=name, assignee_id=agent.user_id)
               for name in ("Breached one", "Due soon", "Due later", "Solved")}
    new_ticket(subject="Someone else's", assignee_id=admin.user_id)
    assert agent.patch(f"/service/tickets/{tickets['Solved']['id']}",
                       json={"status": "resolved", "resolution": "Fixed"}).status_code == 200
    from patron_service.models.tickets import Ticket

    now = datetime.now(UTC)
    with in_tenant(app, tenant):
        for name, values in (("Breached one", {"resolution_breached_at": now,
                                               "resolution_due_at": now - timedelta(hours=2)}),
                             ("Due soon", {"resolution_due_at": now + timedelta(minutes=30)}),
                             ("Due later", {"resolution_due_at": now + timedelta(days=2)})):
            db.session.execute(update(Ticket).where(
                Ticket.id == uuid.UUID(tickets[name]["id"])).values(**values))
    mine = _widget(agent.open("/").get_data(as_text=True), "service-my_tickets")
    counts = dict((label, int(number)) for number, label in re.findall(
        r'fs-4 fw-semibold">(\d+)</span> <span class="small">([^<]+)<', mine))
    assert counts == {"open": 3, "SLA breached": 1, "due within the hour": 1}
    assert mine.index("Breached one") < mine.index("Due soon") < mine.index("Due later")
    assert "Solved" not in mine and "Someone else" not in mine
    soon = re.findall(r'href="([^"]+resolution_due_at__lte[^"]+)"', mine)[0]
    listed = agent.open(soon.replace("&amp;", "&")).get_data(as_text=True)
    assert "Due soon" in listed and "Breached one" not in listed and "Due later" not in listed
