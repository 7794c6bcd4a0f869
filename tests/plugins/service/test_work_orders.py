"""Technicians and work orders: scheduling refuses double bookings, missing skills, hours off
and time away (changing nothing) unless overridden; the status lifecycle keeps each moment;
parts come from the catalogue; signing off the last work order resolves its ticket."""

from __future__ import annotations

import pytest

ORDERS = "/service/work-orders"
#: Monday 7 January 2030, 10:00 UTC (the tenant's time zone is UTC).
MONDAY_TEN = "2030-01-07T10:00:00+00:00"
WEEKDAYS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def technician(admin, tenant, make_user):
    """A technician with a user account: ``(client, record)``, skilled in hvac."""
    client = make_user(tenant, "technician")
    record = admin.post("/service/technicians", json={
        "user_id": client.user_id, "name": "Tess", "skills": ["hvac"], "region": "North",
        "working_hours": WEEKDAYS})
    assert record.status_code == 201, record.get_json()
    return client, record.get_json()


@pytest.fixture
def new_order(admin):
    def create(**fields) -> dict:
        response = admin.post(ORDERS, json={"title": "Fix the boiler", **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return create


def _schedule(api, order, technicians, starts_at=MONDAY_TEN, **extra):
    return api.post(f"{ORDERS}/{order['id']}/schedule", json={
        "technician_ids": [t["id"] for t in technicians], "starts_at": starts_at, **extra})


def test_technician_rules(admin, technician):
    _, tess = technician
    twice = admin.post("/service/technicians", json={"user_id": tess["user_id"], "name": "T"})
    assert twice.status_code == 422 and "user_id" in twice.get_json()["errors"]
    for hours in ({"mon": ["17:00", "08:00"]}, {"mon": ["8am", "5pm"]}, {"someday": []}):
        refused = admin.post("/service/technicians", json={"name": "X", "working_hours": hours})
        assert refused.status_code == 422, hours
    away = admin.post(f"/service/technicians/{tess['id']}/time-off", json={
        "starts_at": "2030-01-08T00:00:00+00:00", "ends_at": "2030-01-07T00:00:00+00:00"})
    assert away.status_code == 422 and "ends_at" in away.get_json()["errors"]


def test_scheduling_books_the_technician(admin, technician, new_order, actions):
    client, tess = technician
    order = new_order(required_skills=["hvac"], estimated_minutes=90,
                      site_address="1 Main St")
    assert (order["status"], order["owner_id"], order["currency"]) == ("new", None, "USD")
    booked = _schedule(admin, order, [tess])
    assert booked.status_code == 200, booked.get_json()
    booked = booked.get_json()
    assert (booked["status"], booked["technician_ids"], booked["owner_id"]) == (
        "scheduled", [tess["id"]], client.user_id)
    assert booked["ends_at"] == "2030-01-07T11:30:00+00:00" and booked["scheduled_at"]
    assert "work_order.scheduled" in actions(admin, order["id"])
    assert [o["id"] for o in client.get(ORDERS).get_json()["items"]] == [order["id"]]


def test_conflicts_are_refused_and_change_nothing(admin, technician, new_order):
    _, tess = technician
    first = new_order(title="First")
    assert _schedule(admin, first, [tess]).status_code == 200
    second = new_order(title="Second", required_skills=["hvac"])
    overlap = _schedule(admin, second, [tess], "2030-01-07T10:30:00+00:00")
    assert overlap.status_code == 409
    assert overlap.get_json()["detail"] == (
        "Tess is already booked on “First” 2030-01-07 10:00–2030-01-07 11:00.")
    unskilled = new_order(title="Wiring", required_skills=["electrical"])
    refused = _schedule(admin, unskilled, [tess], "2030-01-07T14:00:00+00:00")
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["technician_ids"] == [
        "Nobody booked has the required skill: electrical."]
    late = _schedule(admin, second, [tess], "2030-01-07T16:30:00+00:00")
    assert late.status_code == 422 and "Tess works 08:00–17:00 on Monday" in (
        late.get_json()["errors"]["starts_at"][0])
    sunday = _schedule(admin, second, [tess], "2030-01-06T10:00:00+00:00")
    assert sunday.get_json()["errors"]["starts_at"] == ["Tess does not work on Sunday."]
    away = admin.post(f"/service/technicians/{tess['id']}/time-off", json={
        "starts_at": "2030-01-08T00:00:00+00:00", "ends_at": "2030-01-09T00:00:00+00:00",
        "reason": "Dentist"})
    assert away.status_code == 201
    refused = _schedule(admin, second, [tess], "2030-01-08T09:00:00+00:00")
    assert refused.status_code == 409 and "Tess is away from 2030-01-08 00:00" in (
        refused.get_json()["detail"])
    windowed = new_order(title="Mornings only", window_start="2030-01-09T08:00:00+00:00",
                         window_end="2030-01-09T12:00:00+00:00")
    refused = _schedule(admin, windowed, [tess], "2030-01-09T13:00:00+00:00")
    assert "time window" in refused.get_json()["errors"]["starts_at"][0]
    for order in (second, unskilled, windowed):
        unchanged = admin.get(f"{ORDERS}/{order['id']}").get_json()
        assert unchanged == order
    assert admin.post(f"{ORDERS}/{second['id']}/schedule", json={
        "technician_ids": [], "starts_at": MONDAY_TEN}).status_code == 422


def test_an_override_books_anyway_and_is_recorded(admin, technician, new_order):
    _, tess = technician
    assert _schedule(admin, new_order(title="First"), [tess]).status_code == 200
    second = new_order(title="Emergency", required_skills=["gas"])
    forced = _schedule(admin, second, [tess], override_reason="Customer has no heating")
    assert forced.status_code == 200, forced.get_json()
    note = forced.get_json()["schedule_override"]
    assert note.startswith("Customer has no heating (overrode: ")
    assert "gas" in note and "already booked" in note


def test_lifecycle_keeps_each_moment_and_closed_orders_do_not_move(admin, technician,
                                                                   new_order, actions):
    client, tess = technician
    order = new_order()
    refused = admin.patch(f"{ORDERS}/{order['id']}", json={"status": "dispatched"})
    assert refused.status_code == 422
    assert admin.patch(f"{ORDERS}/{order['id']}", json={"status": "scheduled"}).status_code == (
        422)
    _schedule(admin, order, [tess])
    for status in ("dispatched", "en_route", "on_site"):
        moved = client.patch(f"{ORDERS}/{order['id']}", json={"status": status})
        assert moved.status_code == 200, moved.get_json()
        assert moved.get_json()[f"{status}_at"]
    assert _schedule(admin, order, [tess], "2030-01-07T12:00:00+00:00").status_code == 409
    done = client.patch(f"{ORDERS}/{order['id']}", json={
        "status": "completed", "labour_minutes": 75, "charges": "120.50"}).get_json()
    assert done["completed_at"] and done["charges"] == "120.5000"
    assert "work_order.completed" in actions(admin, order["id"])
    unsigned = client.patch(f"{ORDERS}/{order['id']}", json={"status": "signed_off"})
    assert unsigned.status_code == 422 and "signer_name" in unsigned.get_json()["errors"]
    signed = client.patch(f"{ORDERS}/{order['id']}", json={"status": "signed_off",
                                                            "signer_name": "Pat Customer"})
    assert signed.status_code == 200 and signed.get_json()["signed_off_at"]
    for response in (_schedule(admin, order, [tess], "2030-01-07T14:00:00+00:00"),
                     client.patch(f"{ORDERS}/{order['id']}", json={"notes": "Later"})):
        assert response.status_code == 409
    assert admin.get(f"{ORDERS}/{order['id']}").get_json() == signed.get_json()
    cancelled = new_order(title="Not needed")
    admin.patch(f"{ORDERS}/{cancelled['id']}", json={"status": "cancelled"})
    refused = _schedule(admin, cancelled, [tess])
    assert refused.status_code == 409
    assert refused.get_json()["detail"] == (
        "The work order's status is Cancelled; its schedule cannot change.")


def test_parts_from_the_catalogue(admin, technician, new_order):
    client, _ = technician
    product = admin.post("/products", json={"sku": "VALVE-1", "name": "Valve",
                                            "list_price": "12.50", "currency": "EUR"})
    product = product.get_json()
    order = new_order()
    added = admin.post(f"{ORDERS}/{order['id']}/parts", json={"product_id": product["id"],
                                                             "quantity": "2"})
    assert added.status_code == 201, added.get_json()
    assert (added.get_json()["unit_price"], added.get_json()["currency"]) == ("12.5000", "EUR")
    missing = admin.post(f"{ORDERS}/{order['id']}/parts", json={
        "product_id": "01900000-0000-7000-8000-000000000000", "quantity": "1"})
    assert missing.status_code == 422 and "product_id" in missing.get_json()["errors"]
    parts = admin.get(f"{ORDERS}/{order['id']}/parts").get_json()["items"]
    assert [(p["product_id"], p["quantity"]) for p in parts] == [(product["id"], "2.000")]
    assert client.get(f"{ORDERS}/{order['id']}/parts").status_code == 404  # not theirs
    gone = admin.delete(f"{ORDERS}/{order['id']}/parts/{parts[0]['id']}")
    assert gone.status_code == 204
    assert admin.get(f"{ORDERS}/{order['id']}/parts").get_json()["items"] == []


def test_technicians_see_only_their_own_work_orders(admin, tenant, make_user, technician,
                                                    new_order):
    client, tess = technician
    other = make_user(tenant, "technician")
    otto = admin.post("/service/technicians", json={
        "user_id": other.user_id, "name": "Otto", "working_hours": WEEKDAYS}).get_json()
    hers, his = new_order(title="Hers"), new_order(title="His")
    _schedule(admin, hers, [tess])
    _schedule(admin, his, [otto])
    assert [o["title"] for o in client.get(ORDERS).get_json()["items"]] == ["Hers"]
    for response in (client.get(f"{ORDERS}/{his['id']}"),
                     client.patch(f"{ORDERS}/{his['id']}", json={"status": "dispatched"})):
        assert response.status_code == 404
    assert client.post(ORDERS, json={"title": "Mine"}).status_code == 403
    assert client.post(f"{ORDERS}/{hers['id']}/schedule", json={
        "technician_ids": [tess["id"]], "starts_at": MONDAY_TEN}).status_code == 403


def test_signing_off_the_tickets_work_order_resolves_it(admin, technician, account,
                                                        new_ticket, new_order, actions):
    client, tess = technician
    ticket = new_ticket(account_id=account["id"], assignee_id=admin.user_id)
    first = new_order(ticket_id=ticket["id"])
    second = new_order(ticket_id=ticket["id"], title="Follow-up")
    assert first["account_id"] == account["id"]
    early = admin.patch(f"/service/tickets/{ticket['id']}", json={"status": "resolved"})
    assert early.status_code == 422 and "Fix the boiler, Follow-up" in (
        early.get_json()["errors"]["status"][0])
    admin.patch(f"{ORDERS}/{second['id']}", json={"status": "cancelled"})
    _schedule(admin, first, [tess])
    for status in ("dispatched", "en_route", "on_site", "completed"):
        assert client.patch(f"{ORDERS}/{first['id']}", json={"status": status}).status_code == 200
    assert admin.get(f"/service/tickets/{ticket['id']}").get_json()["status"] == "assigned"
    client.patch(f"{ORDERS}/{first['id']}", json={"status": "signed_off", "signer_name": "Pat"})
    resolved = admin.get(f"/service/tickets/{ticket['id']}").get_json()
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    change = admin.get(f"/service/tickets/{ticket['id']}/history").get_json()["items"][-1]
    assert (change["old_value"], change["new_value"], change["how"]) == (
        "assigned", "resolved", "work_order")
    assert "ticket.resolved" in actions(admin, ticket["id"])
    refused = admin.delete(f"/service/tickets/{ticket['id']}")
    assert refused.status_code == 409


def test_printable_service_report(admin, technician, account, new_order, client, auth, tenant):
    client_api, tess = technician
    valve = admin.post("/products", json={"sku": "VALVE-1", "name": "Valve",
                                          "list_price": "12.50", "currency": "EUR"}).get_json()
    order = new_order(account_id=account["id"], site_address="1 Main St")
    admin.post(f"{ORDERS}/{order['id']}/parts", json={"product_id": valve["id"],
                                                     "quantity": "100"})
    _schedule(admin, order, [tess])
    for status in ("dispatched", "en_route", "on_site", "completed"):
        client_api.patch(f"{ORDERS}/{order['id']}", json={"status": status})
    client_api.patch(f"{ORDERS}/{order['id']}", json={
        "status": "signed_off", "signer_name": "Pat Customer", "labour_minutes": 45,
        "charges": "80"})
    auth.login(tenant)
    page = client.get(f"/service/work-orders/{order['id']}/report")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for shown in ("Fix the boiler", "Initech", "1 Main St", "Tess", "VALVE-1", "1250.00 EUR",
                  ">100<", "45 min", "80.00 USD", "Signed off by Pat Customer at 20"):
        assert shown in text, shown


def test_a_technician_works_the_tenants_business_hours_unless_told(admin, new_order):
    admin.post("/service/business-hours", json={"weekday": 5, "start_minute": 600,
                                                "end_minute": 720})
    made = admin.post("/service/technicians", json={"name": "Sam"}).get_json()
    weekdays = {day: ["09:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    assert made["working_hours"] == {**weekdays, "sat": ["10:00", "12:00"]}
    assert _schedule(admin, new_order(), [made]).status_code == 200  # Monday at ten
    told = admin.post("/service/technicians", json={"name": "Kim", "working_hours": {}})
    assert told.get_json()["working_hours"] == {}
