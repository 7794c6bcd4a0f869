"""In a real browser: drag a task on the calendar to the next day and it is due then; at
desktop width in English and at phone width in Chinese the calendar fits the window."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_drag_a_task_to_the_next_day(page, sign_in, drag, auth, tenant):
    admin = auth.api(tenant)
    today = datetime.now(UTC).date()
    due = datetime.combine(today, time(10), tzinfo=UTC)
    task = admin.post("/activities", json={"kind": "task", "subject": "Call Initech",
                                            "due_at": due.isoformat()}).get_json()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in()
    page.goto("/calendar")
    entry = page.locator(".fc-event", has_text="Call Initech")
    expect(entry).to_be_visible()
    tomorrow = (today + timedelta(days=1)).isoformat()
    drag(entry, page.locator(f'td.fc-daygrid-day[data-date="{tomorrow}"]'))
    expect(page.locator("#calendar-toast")).to_contain_text("Rescheduled: Call Initech")
    moved = admin.get(f"/activities/{task['id']}").get_json()["due_at"]
    assert moved == (due + timedelta(days=1)).isoformat()
    assert page.evaluate(OVERFLOW) <= 0


@pytest.mark.parametrize("width", [390], ids=["phone"])
def test_the_calendar_fits_a_phone_in_chinese(width, page, sign_in_as, auth, tenant):
    admin = auth.api(tenant)
    admin.patch(f"/users/{admin.user_id}", json={"locale": "zh_Hans"})
    admin.post("/activities", json={"kind": "meeting", "subject": "Kick-off",
                                    # Mid-morning: a meeting started late at night would
                                    # run past midnight and be listed on two days.
                                    "start_at": datetime.now(UTC).replace(
                                        hour=10, minute=0, second=0).isoformat()})
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(tenant.admin_email)
    page.goto("/calendar")
    expect(page.locator("h1")).to_have_text("日历")
    expect(page.locator(".fc-list-event", has_text="Kick-off")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
