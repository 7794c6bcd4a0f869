"""The calendar feed: a key made on the calendar page opens the user's activities as
iCalendar for calendar apps, and nothing else; a new key or stopping it revokes the old."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from patron.testing.fixtures import csrf_token_from


def _make_address(client) -> str:
    page = client.get("/calendar").get_data(as_text=True)
    made = client.post("/calendar/feed-link", data={"csrf_token": csrf_token_from(page)})
    assert made.status_code == 200
    return re.search(r'id="feed-url" type="text" readonly value="([^"]+)"',
                     made.get_data(as_text=True)).group(1)


def test_a_calendar_app_reads_the_feed_with_its_key_only(app, auth, tenant, other_tenant,
                                                         client, make_user):
    admin = auth.api(tenant)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    admin.post("/activities", json={"kind": "meeting", "subject": "Kick-off",
                                    "start_at": start.isoformat(),
                                    "end_at": (start + timedelta(hours=1)).isoformat()})
    admin.post("/activities", json={"kind": "task", "subject": "Send proposal",
                                    "due_at": start.isoformat()})
    rep = make_user(tenant, "sales_rep")
    rep.post("/activities", json={"kind": "task", "subject": "Rep's task",
                                  "due_at": start.isoformat()})
    auth.login(tenant)
    address = _make_address(client)
    path = address.removeprefix("http://localhost")
    assert path.startswith("/calendar/feed/cal_") and path.endswith(".ics")

    app_client = app.test_client()  # a calendar app: no session, no token
    feed = app_client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = {str(e["summary"]): e for e in Calendar.from_ical(feed.data).walk("VEVENT")}
    assert set(events) == {"Kick-off", "Send proposal"}
    assert events["Kick-off"]["dtstart"].dt == start
    assert events["Kick-off"]["dtend"].dt == start + timedelta(hours=1)

    key = path.removeprefix("/calendar/feed/").removesuffix(".ics")
    assert app_client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}
                          ).status_code == 401  # the key opens the feed and nothing else
    assert app_client.get("/calendar").status_code == 302
    forged = path[:-8] + "abcd.ics"
    assert app_client.get(forged).status_code == 302  # to the sign-in page
    other = path.replace(tenant.id.hex, other_tenant.id.hex)
    assert app_client.get(other).status_code == 302

    _make_address(client)  # a new address: the old one stops
    assert app_client.get(path).status_code == 302
    page = client.get("/calendar").get_data(as_text=True)
    client.post("/calendar/feed-link/stop", data={"csrf_token": csrf_token_from(page)})
    assert "Stop the feed" not in client.get("/calendar").get_data(as_text=True)
