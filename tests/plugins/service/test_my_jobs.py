"""A technician's "my jobs today" page: today's work orders with a button for the next step,
through the same work-order operation as the API."""

from __future__ import annotations

from datetime import UTC, datetime

from patron.testing.fixtures import csrf_token_from

EVERY_DAY = {day: ["00:00", "24:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                  "sun")}


def _technician(admin, tenant, make_user, name):
    user = make_user(tenant, "technician", email=f"{name.lower()}@acme.test")
    record = admin.post("/service/technicians", json={
        "user_id": user.user_id, "name": name, "working_hours": EVERY_DAY}).get_json()
    return user, record


def _job(admin, title, technician, hour):
    order = admin.post("/service/work-orders", json={"title": title,
                                                     "site_address": "1 Main St"}).get_json()
    today = datetime.now(UTC).date().isoformat()
    booked = admin.post(f"/service/work-orders/{order['id']}/schedule", json={
        "technician_ids": [technician["id"]], "starts_at": f"{today}T{hour:02d}:00:00+00:00"})
    assert booked.status_code == 200, booked.get_json()
    return booked.get_json()


def test_a_technician_works_through_the_day(admin, tenant, make_user, client, auth):
    tess_api, tess = _technician(admin, tenant, make_user, "Tess")
    _, otto = _technician(admin, tenant, make_user, "Otto")
    job = _job(admin, "Boiler", tess, 9)
    _job(admin, "Pump", otto, 9)
    auth.login(tenant, "tess@acme.test")
    page = client.get("/service/my-jobs").get_data(as_text=True)
    assert "Boiler" in page and "Pump" not in page and "Confirm" in page
    assert 'href="/service/my-jobs"' in client.get("/").get_data(as_text=True)

    def step(status, **fields):
        token = csrf_token_from(client.get("/service/my-jobs").get_data(as_text=True))
        version = tess_api.get(f"/service/work-orders/{job['id']}").get_json()["version"]
        return client.post(f"/service/my-jobs/{job['id']}/step", data={
            "csrf_token": token, "status": status, "version": str(version), **fields})

    for status in ("dispatched", "en_route", "on_site", "completed"):
        assert step(status).status_code == 302
    unsigned = step("signed_off")
    assert unsigned.status_code == 302
    assert "Signing off needs the signer" in client.get("/service/my-jobs").get_data(
        as_text=True)
    done = tess_api.get(f"/service/work-orders/{job['id']}").get_json()
    assert (done["status"], done["dispatched_at"] is not None) == ("completed", True)
    step("signed_off", signer_name="Pat")
    signed = tess_api.get(f"/service/work-orders/{job['id']}").get_json()
    assert (signed["status"], signed["signer_name"]) == ("signed_off", "Pat")
    assert "Customer signed" not in client.get("/service/my-jobs").get_data(as_text=True)


def test_someone_elses_job_is_absent(admin, tenant, make_user, client, auth):
    _technician(admin, tenant, make_user, "Tess")
    _, otto = _technician(admin, tenant, make_user, "Otto")
    theirs = _job(admin, "Pump", otto, 9)
    auth.login(tenant, "tess@acme.test")
    token = csrf_token_from(client.get("/service/my-jobs").get_data(as_text=True))
    refused = client.post(f"/service/my-jobs/{theirs['id']}/step", data={
        "csrf_token": token, "status": "dispatched", "version": "2"})
    assert refused.status_code == 404
    assert admin.get(f"/service/work-orders/{theirs['id']}").get_json() == theirs
