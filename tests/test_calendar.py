"""The calendar: a user's, a colleague's or everyone's activities in the visible range, as
the data scope allows, and rescheduling one by dragging it (through the record operation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from patron.testing.fixtures import csrf_token_from

DAY = datetime(2030, 3, 12, 9, 0, tzinfo=UTC)
RANGE = "start=2030-03-01T00:00:00Z&end=2030-04-01T00:00:00Z"


def _activity(api, subject: str, **fields) -> dict:
    made = api.post("/activities", json={"subject": subject, **fields})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _titles(client, query: str = "") -> list[str]:
    response = client.get(f"/calendar/events?{RANGE}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [event["title"] for event in response.get_json()]


def test_the_calendar_shows_whose_entries_the_scope_allows(auth, tenant, other_tenant, client,
                                                           make_user):
    admin = auth.api(tenant)
    meeting = _activity(admin, "Kick-off", kind="meeting", start_at=DAY.isoformat(),
                        end_at=(DAY + timedelta(hours=1)).isoformat())
    _activity(admin, "Call back", kind="task", due_at=(DAY + timedelta(days=2)).isoformat())
    _activity(admin, "Next year", kind="task", due_at=(DAY + timedelta(days=365)).isoformat())
    rep = make_user(tenant, "sales_rep", email="rita@acme.test")
    _activity(rep, "Rita's visit", kind="visit", start_at=DAY.isoformat())
    _activity(auth.api(other_tenant), "Globex call", kind="task", due_at=DAY.isoformat())

    auth.login(tenant)
    assert _titles(client) == ["Kick-off", "Call back"]
    assert sorted(_titles(client, "&user=all")) == ["Call back", "Kick-off", "Rita's visit"]
    assert _titles(client, f"&user={rep.user_id}") == ["Rita's visit"]
    [kick_off] = [e for e in client.get(f"/calendar/events?{RANGE}").get_json()
                  if e["title"] == "Kick-off"]
    assert kick_off["start"] == DAY.isoformat() and kick_off["url"].endswith(meeting["id"])
    assert client.get("/calendar/events?start=2030-03-01T00:00:00Z&end=2031-03-01T00:00:00Z"
                      ).status_code == 400  # a year at once: refused
    assert client.get("/calendar/events?start=yesterday&end=today").status_code == 400
    page = client.get("/calendar").get_data(as_text=True)
    assert f'<option value="{rep.user_id}">rita</option>' in page  # whose: one of the choices
    assert 'data-events-url="/calendar/events?user=me"' in page

    auth.login(tenant, "rita@acme.test")
    assert sorted(_titles(client, "&user=all")) == ["Rita's visit"]  # her own scope


def test_dragging_reschedules_a_meeting_or_a_task(auth, tenant, client, make_user):
    admin = auth.api(tenant)
    meeting = _activity(admin, "Kick-off", kind="meeting", start_at=DAY.isoformat(),
                        end_at=(DAY + timedelta(hours=1)).isoformat())
    task = _activity(admin, "Call back", kind="task", due_at=DAY.isoformat())
    auth.login(tenant)
    token = csrf_token_from(client.get("/calendar").get_data(as_text=True))
    later = DAY + timedelta(days=1, hours=2)
    moved = client.post(f"/calendar/events/{meeting['id']}/move",
                        data={"start": later.isoformat()}, headers={"X-CSRFToken": token})
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert moved.get_json() == {"start_at": later.isoformat(),
                                "end_at": (later + timedelta(hours=1)).isoformat()}
    client.post(f"/calendar/events/{task['id']}/move", data={"start": later.isoformat()},
                headers={"X-CSRFToken": token})
    assert admin.get(f"/activities/{task['id']}").get_json()["due_at"] == later.isoformat()
    audit = admin.get(f"/audit-events?record_id={meeting['id']}").get_json()["items"]
    assert "update" in [event["action"] for event in audit]
    refused = client.post(f"/calendar/events/{task['id']}/move", data={"start": "soon"},
                          headers={"X-CSRFToken": token})
    assert refused.status_code == 422
    assert client.post(f"/calendar/events/{task['id']}/move",
                       data={"start": later.isoformat()}).status_code == 400  # no CSRF token

    make_user(tenant, "sales_rep", email="rita@acme.test")
    auth.login(tenant, "rita@acme.test")
    token = csrf_token_from(client.get("/calendar").get_data(as_text=True))
    outside = client.post(f"/calendar/events/{task['id']}/move",
                          data={"start": DAY.isoformat()}, headers={"X-CSRFToken": token})
    assert outside.status_code == 404  # not in her scope
    assert admin.get(f"/activities/{task['id']}").get_json()["due_at"] == later.isoformat()
