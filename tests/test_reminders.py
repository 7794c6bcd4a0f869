"""Reminders: the owner of an open activity hears of it shortly before it falls due or
starts, once, from the worker's job (and again if it is moved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from patron.events.jobs import run_due_jobs


def _activity(api, subject: str, **fields) -> dict:
    made = api.post("/activities", json={"kind": "task", "subject": subject, **fields})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _texts(api) -> list[str]:
    return [n["text"] for n in api.get("/me/notifications").get_json()["items"]]


def test_the_owner_is_reminded_once_before_the_time(app, auth, tenant):
    admin = auth.api(tenant)
    now = datetime.now(UTC)
    soon = (now + timedelta(minutes=10)).replace(microsecond=0)
    call = _activity(admin, "Call Initech", due_at=soon.isoformat())
    _activity(admin, "Later today", due_at=(now + timedelta(hours=3)).isoformat())
    _activity(admin, "Kick-off", kind="meeting", start_at=soon.isoformat())
    finished = _activity(admin, "Already done", due_at=soon.isoformat())
    admin.patch(f"/activities/{finished['id']}", json={"status": "done"})
    with app.app_context():
        run_due_jobs(now)
    at = soon.strftime("%H:%M")  # the tenant's time zone is UTC
    assert sorted(_texts(admin)) == [f"Reminder: Call Initech at {at}",
                                     f"Reminder: Kick-off at {at}"]
    [notice] = [n for n in admin.get("/me/notifications").get_json()["items"]
                if "Call Initech" in n["text"]]
    assert notice["link"] == f"/records/activity/{call['id']}"
    with app.app_context():
        run_due_jobs(now + timedelta(minutes=2))  # the job's next run: nothing new
    assert len(_texts(admin)) == 2

    moved = (now + timedelta(minutes=12)).replace(microsecond=0)
    admin.patch(f"/activities/{call['id']}", json={"due_at": moved.isoformat()})
    with app.app_context():
        run_due_jobs(now + timedelta(minutes=4))
    assert _texts(admin).count(f"Reminder: Call Initech at {moved.strftime('%H:%M')}") == 1
