"""The home page: the widgets of the tenant's modules for the signed-in user, "My tasks"
with its one-click "Done", and the user's own arrangement."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from patron.testing.fixtures import csrf_token_from
from patron.testing.queries import counted_statements


def _widget(html: str, key: str) -> str:
    match = re.search(rf'<section[^>]*id="widget-{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _widget_keys(html: str) -> list[str]:
    return re.findall(r'<section[^>]*id="widget-([\w-]+)"', html)


def _task(api, subject: str, due: datetime, **fields) -> dict:
    made = api.post("/activities", json={"kind": "task", "subject": subject,
                                         "due_at": due.isoformat(), **fields})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_my_tasks_are_today_and_overdue_and_done_closes_one(app, auth, tenant, other_tenant,
                                                            client, make_user):
    admin = auth.api(tenant)
    now = datetime.now(UTC)  # the tenant's time zone is UTC
    today_end = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    overdue = _task(admin, "Call back Initech", now - timedelta(days=2))
    later = _task(admin, "Send the proposal", min(now + timedelta(minutes=5),
                                                   today_end - timedelta(seconds=1)))
    _task(admin, "Next week's visit", now + timedelta(days=7))
    closed = _task(admin, "Already handled", now - timedelta(hours=1))
    admin.patch(f"/activities/{closed['id']}", json={"status": "done"})
    colleague = make_user(tenant, "sales_rep", email="rita@acme.test")
    theirs = _task(colleague, "A colleague's call", now - timedelta(hours=1))
    _task(auth.api(other_tenant), "Globex's call", now - timedelta(hours=1))

    auth.login(tenant)
    html = client.get("/").get_data(as_text=True)
    tasks = _widget(html, "core-my_tasks")
    assert "My tasks" in tasks and "2 open tasks today" in tasks and "1 overdue" in tasks
    assert tasks.index("Call back Initech") < tasks.index("Send the proposal")
    for absent in ("Next week", "Already handled", "A colleague", "Globex"):
        assert absent not in tasks
    assert 'href="/records/activity/?owner=me&amp;status=open&amp;sort=due_at"' in tasks

    token = csrf_token_from(html)
    assert client.post(f"/tasks/{overdue['id']}/done").status_code == 400  # no CSRF token
    done = client.post(f"/tasks/{overdue['id']}/done",
                       data={"csrf_token": token, "next": "/?from=tasks"})
    assert done.status_code == 302 and done.headers["Location"] == "/?from=tasks"
    assert admin.get(f"/activities/{overdue['id']}").get_json()["status"] == "done"
    audit = admin.get(f"/audit-events?record_id={overdue['id']}").get_json()["items"]
    assert "update" in [event["action"] for event in audit]
    after = _widget(client.get("/").get_data(as_text=True), "core-my_tasks")
    assert "Call back Initech" not in after and "1 open task today" in after
    assert "Send the proposal" in after

    auth.login(tenant, "rita@acme.test")
    refused = client.post(f"/tasks/{later['id']}/done", data={"csrf_token": csrf_token_from(
        client.get("/").get_data(as_text=True))})
    assert refused.status_code == 404  # not in a rep's scope
    assert admin.get(f"/activities/{later['id']}").get_json()["status"] == "open"
    assert "A colleague" in _widget(client.get("/").get_data(as_text=True),
                                           "core-my_tasks")
    assert theirs["owner_id"] == colleague.user_id


def test_a_user_hides_and_reorders_widgets_and_goes_back(app, auth, tenant, client,
                                                         switch_module):
    admin = auth.api(tenant)
    switch_module(admin, "sales")
    auth.login(tenant)
    keys = _widget_keys(client.get("/").get_data(as_text=True))
    assert keys[:2] == ["core-my_tasks", "sales-pipeline"]
    form = client.get("/home/arrange").get_data(as_text=True)
    assert "My tasks" in form and "My open deals" in form
    saved = client.post("/home/arrange", data={
        "csrf_token": csrf_token_from(form), "order": ["sales.pipeline", "core.my_tasks",
                                                      "nothing.such"],
        "shown": ["sales.pipeline"]})
    assert saved.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert _widget_keys(html)[0] == "sales-pipeline" and "core-my_tasks" not in _widget_keys(html)
    assert "1 hidden" in html
    client.post("/home/arrange", data={"csrf_token": csrf_token_from(form), "reset": "1"})
    assert _widget_keys(client.get("/").get_data(as_text=True)) == keys


def test_the_home_page_reads_in_constant_queries(app, auth, tenant, client, switch_module):
    admin = auth.api(tenant)
    for module in ("sales", "service"):
        switch_module(admin, module)
    auth.login(tenant)
    now = datetime.now(UTC)

    def statements() -> int:
        with counted_statements(app) as counted:
            assert client.get("/").status_code == 200
        return len(counted)

    _task(admin, "First", now - timedelta(hours=1))
    few = statements()
    for index in range(6):
        _task(admin, f"Task {index}", now - timedelta(hours=2))
        admin.post("/service/tickets", json={"subject": f"Ticket {index}",
                                             "assignee_id": admin.user_id})
    assert statements() <= few
