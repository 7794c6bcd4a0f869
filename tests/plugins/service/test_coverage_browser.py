"""In a real browser: picking the customer on the new-ticket form shows at once whether they
are covered, and by what; the ticket saved says so on its page."""

from __future__ import annotations

from playwright.sync_api import expect


def test_picking_an_account_on_the_new_ticket_form_shows_its_coverage(page, admin, account,
                                                                      signed_in, pick):
    gold = admin.post("/service/sla-policies", json={"name": "Gold"}).get_json()
    boiler = admin.post("/products", json={"sku": "B-1", "name": "Boiler"}).get_json()
    admin.post("/products", json={"sku": "P-1", "name": "Pump"})
    admin.post("/accounts", json={"name": "Initrode"})
    admin.post("/service/contracts", json={
        "name": "Boiler warranty", "kind": "warranty", "account_id": account["id"],
        "product_id": boiler["id"], "starts_on": "2020-01-01", "ends_on": "2099-03-15",
        "sla_policy_id": gold["id"]})

    page.goto("/records/ticket/new")
    coverage = page.locator("[data-form-panel]")
    expect(coverage).to_be_empty()
    pick(page, "Account", "Initech")
    expect(coverage).to_have_text("Not covered")
    pick(page, "Product", "Boiler")
    expect(coverage).to_have_text(
        "Covered by Boiler warranty until Mar 15, 2099, SLA tier Gold")
    pick(page, "Account", "Initrode")
    expect(coverage).to_have_text("Not covered")
    pick(page, "Account", "Initech")
    expect(coverage).to_contain_text("Covered by Boiler warranty")

    page.get_by_label("Subject").fill("Boiler is cold")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Ticket created.")).to_be_visible()
    [ticket] = admin.get("/service/tickets").get_json()["items"]
    page.goto(f"/service/tickets/{ticket['id']}")
    expect(page.locator("#coverage")).to_have_text(
        "Covered by Boiler warranty until Mar 15, 2099, SLA tier Gold")
