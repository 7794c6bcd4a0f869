"""In a real browser, the issue's whole path: a customer sends the support form, the ticket
is assigned with SLA due times, its work order is dragged onto a technician's slot on the
dispatch board, completed and signed off, and the ticket resolves."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

WEEKDAYS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def test_from_support_form_to_resolved_ticket(page, admin, tenant, make_user, sign_in,
                                             drag):
    agent = make_user(tenant, "service_agent", email="agent@acme.test")
    admin.post("/service/queues", json={"name": "Web", "rule": "round_robin",
                                        "channels": ["web_form"],
                                        "member_ids": [agent.user_id]})
    worker = make_user(tenant, "technician", email="tess@acme.test")
    tess = admin.post("/service/technicians", json={
        "user_id": worker.user_id, "name": "Tess", "skills": ["hvac"],
        "working_hours": WEEKDAYS}).get_json()

    page.goto("/t/acme/support")
    page.get_by_label("Your name").fill("Peter Gibbons")
    page.get_by_label("E-mail").fill("peter@initech.test")
    page.get_by_label("Subject").fill("No heating")
    page.get_by_label("How can we help?").fill("The boiler in room 4 is cold.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")

    [ticket] = admin.get("/service/tickets").get_json()["items"]
    assert (ticket["assignee_id"], ticket["status"]) == (agent.user_id, "assigned")
    assert ticket["first_response_due_at"] and ticket["resolution_due_at"]
    order = agent.post("/service/work-orders", json={
        "title": "Repair boiler", "ticket_id": ticket["id"], "required_skills": ["hvac"],
        "estimated_minutes": 90})
    assert order.status_code == 201, order.get_json()
    order = order.get_json()

    sign_in()
    page.get_by_role("link", name="Dispatch board").click()
    expect(page.get_by_role("heading", name="Dispatch board")).to_be_visible()
    # A Monday, so Tess works that day whatever today is.
    page.goto("/service/dispatch?day=2030-01-07")
    agent.post("/service/work-orders", json={"title": "Gas meter", "required_skills": ["gas"]})
    page.reload()
    slot = page.locator(f'[data-technician-id="{tess["id"]}"]'
                        '[data-slot="2030-01-07T10:00:00+00:00"]')
    drag(page.locator(".order-card", has_text="Gas meter"), slot)
    expect(page.locator("#board-error")).to_have_text(
        "Nobody booked has the required skill: gas.")
    expect(page.locator("#waiting .order-card", has_text="Gas meter")).to_have_count(1)
    drag(page.locator(".order-card", has_text="Repair boiler"), slot)
    expect(slot.locator(".order-card", has_text="Repair boiler")).to_have_count(1)
    expect(page.locator("#waiting .order-card")).to_have_count(1)
    expect(page.locator("#board-error")).to_have_count(0)
    booked = admin.get(f"/service/work-orders/{order['id']}").get_json()
    assert (booked["status"], booked["starts_at"], booked["owner_id"]) == (
        "scheduled", "2030-01-07T10:00:00+00:00", worker.user_id)

    for status in ("dispatched", "en_route", "on_site", "completed"):
        moved = worker.patch(f"/service/work-orders/{order['id']}", json={"status": status})
        assert moved.status_code == 200, moved.get_json()
    signed = worker.patch(f"/service/work-orders/{order['id']}",
                          json={"status": "signed_off", "signer_name": "Peter Gibbons"})
    assert signed.status_code == 200
    assert admin.get(f"/service/tickets/{ticket['id']}").get_json()["status"] == "resolved"


def test_dragging_on_the_week_view(page, admin, sign_in, drag):
    tess = admin.post("/service/technicians", json={
        "name": "Tess", "skills": ["hvac"], "working_hours": WEEKDAYS}).get_json()
    order = admin.post("/service/work-orders", json={"title": "Service the boiler"}).get_json()
    sign_in()
    page.goto("/service/dispatch?day=2030-01-07")
    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.locator("#board-day")).to_have_text("2030-01-07 – 2030-01-13")
    slot = page.locator(f'[data-technician-id="{tess["id"]}"]'
                        '[data-slot="2030-01-10T14:00:00+00:00"]')
    drag(page.locator(".order-card", has_text="Service the boiler"), slot)
    # The board the server answers carries the booked card's next version.
    expect(slot.locator(f'.order-card[data-version="{order["version"] + 1}"]',
                        has_text="Service the boiler")).to_have_count(1)
    expect(page.locator("#dispatch")).to_have_attribute("data-view", "week")
    booked = admin.get(f"/service/work-orders/{order['id']}").get_json()
    assert (booked["status"], booked["starts_at"]) == ("scheduled",
                                                       "2030-01-10T14:00:00+00:00")
    page.get_by_role("link", name="Next week").click()
    expect(page.locator("#board-day")).to_have_text("2030-01-14 – 2030-01-20")
    page.get_by_role("link", name="Day", exact=True).click()
    expect(page.locator("#board-day")).to_have_text("2030-01-14")


def test_the_reports_page_draws_its_charts(page, admin, tenant, new_ticket, sign_in):
    new_ticket(subject="Counted")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in()
    page.get_by_role("link", name="Service reports").click()
    expect(page.get_by_role("heading", name="Service reports")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('ages-chart')")
    drawn = page.evaluate("() => Chart.getChart('ages-chart').data.datasets[0].data")
    assert drawn == [1, 0, 0, 0] and errors == []


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_a_technician_made_on_the_page_works_the_business_hours_and_takes_a_job(
        width, page, admin, sign_in, drag):
    """Nobody types an id or an hour: the new technician's form starts from the business
    hours (Monday to Friday, 09:00–17:00), and the board books them at once."""
    order = admin.post("/service/work-orders", json={"title": "Fix the chiller"}).get_json()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in()
    page.goto("/records/technician/new")
    page.get_by_label("Name").fill("Tom")
    expect(page.locator('[name="working_hours.mon.from"]')).to_have_value("09:00")
    expect(page.locator('[name="working_hours.sat.from"]')).to_have_value("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Tom")).to_be_visible()
    (tom,) = admin.get("/service/technicians?q=Tom").get_json()["items"]
    assert tom["working_hours"]["mon"] == ["09:00", "17:00"] and "sat" not in tom[
        "working_hours"]
    page.set_viewport_size({"width": 1366, "height": 900})  # the board is a desktop's tool
    page.goto("/service/dispatch?day=2030-01-08")
    slot = page.locator(f'[data-technician-id="{tom["id"]}"]'
                        '[data-slot="2030-01-08T10:00:00+00:00"]')
    drag(page.locator(".order-card", has_text="Fix the chiller"), slot)
    # The board the server answers carries the booked card's next version.
    expect(slot.locator(f'.order-card[data-version="{order["version"] + 1}"]',
                        has_text="Fix the chiller")).to_have_count(1)
    booked = admin.get(f"/service/work-orders/{order['id']}").get_json()
    assert (booked["status"], booked["technician_ids"]) == ("scheduled", [tom["id"]])
