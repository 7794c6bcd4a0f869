"""In a real browser: add a product line and a competitor on a deal's page; make a quote from a
deal (its product line copied), add a line, see its totals, send and accept it and see the
order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


def _deal(admin, account) -> dict:
    return admin.post("/sales/opportunities", json={"name": "Warehouse racks",
                                                    "account_id": account["id"]}).get_json()


def test_add_a_product_line_and_a_competitor_on_the_deal_page(page, sign_in, admin, account,
                                                              pick):
    admin.post("/products", json={"sku": "RACK", "name": "Pallet rack", "list_price": "450"})
    deal = _deal(admin, account)
    sign_in()
    page.goto(f"/sales/deals/{deal['id']}")
    page.wait_for_load_state("load")
    page.get_by_role("tab", name="Product lines").click()
    lines = page.locator("#lines")
    pick(lines, "Product", "Pallet rack")
    lines.get_by_label("Quantity").fill("abc")
    lines.get_by_role("button", name="Add product line").click()
    expect(page.locator("#f-lines-new-quantity-error")).to_have_text("Enter a number.")
    expect(page.locator("#lines-table tbody tr[data-row-id]")).to_have_count(0)
    page.locator("#lines").get_by_label("Quantity").fill("3")
    page.locator("#lines").get_by_role("button", name="Add product line").click()
    row = page.locator("#lines-table tbody tr[data-row-id]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Pallet rack")
    expect(row).to_contain_text("$1,350.00")
    expect(page.locator("#deal-amount")).to_have_text("$1,350.00")

    expect(page.get_by_role("tab", name="Product lines")).to_have_attribute(
        "aria-selected", "true")  # the change kept its tab open
    page.get_by_role("tab", name="Competitors").click()
    competitors = page.locator("#competitors")
    competitors.get_by_label("Name").fill("RackCo")
    competitors.get_by_label("Strengths").fill("Local stock")
    competitors.get_by_label("Weaknesses").fill("No installation")
    competitors.get_by_label("Opportunities").fill("Bundle installation")
    competitors.get_by_label("Threats").fill("Price cuts")
    competitors.get_by_role("button", name="Add competitor").click()
    competitor = page.locator("#competitors-table tbody tr[data-row-id]")
    expect(competitor).to_have_count(1)
    expect(competitor).to_contain_text("RackCo")
    expect(competitor).to_contain_text("No installation")
    expect(competitor).to_contain_text("Price cuts")
    expect(page.locator("#stage-history tbody tr")).to_have_count(1)  # still there
    saved = admin.get(f"/sales/opportunities/{deal['id']}/competitors").get_json()["items"]
    assert [(c["name"], c["opportunities"]) for c in saved] == [("RackCo",
                                                                   "Bundle installation")]


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_a_quote_from_the_deal_accepted_into_an_order_and_a_contract(width, page, sign_in,
                                                                    admin, account, pick):
    rack = admin.post("/products", json={"sku": "RACK", "name": "Pallet rack",
                                         "list_price": "450"}).get_json()
    admin.post("/products", json={"sku": "BEAM", "name": "Beam", "list_price": "35.50"})
    deal = _deal(admin, account)
    admin.post(f"/sales/opportunities/{deal['id']}/lines",
               json={"product_id": rack["id"], "quantity": "2"})
    page.set_viewport_size({"width": width, "height": 900})
    sign_in()
    page.goto(f"/sales/deals/{deal['id']}")
    page.wait_for_load_state("load")
    page.get_by_role("tab", name="Quotes").click()
    page.get_by_label("Quote name").fill("Racks offer")
    page.get_by_role("button", name="New quote").click()
    expect(page).to_have_url(re.compile(r"/sales/quotes/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Racks offer")).to_be_visible()
    lines = page.locator("#lines")
    # The quote starts with the deal's product line; a second line is added on the quote.
    expect(lines.get_by_role("cell", name="Pallet rack", exact=True)).to_be_visible()
    pick(lines, "Product", "Beam")
    lines.get_by_label("Quantity").fill("10")
    lines.get_by_role("button", name="Add line").click()
    expect(lines.get_by_role("cell", name="Beam", exact=True)).to_be_visible()
    expect(lines.locator("tbody tr[data-row-id]")).to_have_count(2)
    # 2 × 450 + 10 × 35.50 = 1,255.00; 10 % tax = 125.50.
    page.locator("#quote-terms").get_by_label("Tax %").fill("10")
    page.get_by_role("button", name="Save terms").click()
    totals = page.locator("#quote-totals")
    expect(totals.locator('[data-total="subtotal"]')).to_contain_text("$1,255.00")
    expect(totals.locator('[data-total="tax"]')).to_contain_text("$125.50")
    expect(totals.locator('[data-total="total"]')).to_contain_text("$1,380.50")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#quote-status")).to_have_text("Sent")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#quote-status")).to_have_text("Accepted")
    expect(page.locator("#quote-order")).to_contain_text("$1,380.50")
    orders = admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"]
    assert [order["total"] for order in orders] == ["1380.5000"]

    # The order becomes a contract: the form starts from the order (account, value, deal).
    page.get_by_role("link", name="Draw up the contract").click()
    page.get_by_label("Start date").fill("2027-01-01")
    page.get_by_label("End date").fill("2027-12-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Racks offer")).to_be_visible()
    contracts = admin.get(f"/sales/contracts?order_id={orders[0]['id']}").get_json()["items"]
    assert [(c["value"], c["account_id"], c["opportunity_id"]) for c in contracts] == [
        ("1380.5000", account["id"], deal["id"])]

    # The order is found from its account's page, by its number.
    page.goto(f"/records/account/{account['id']}/360")
    page.locator("#account-orders").get_by_role("link", name=orders[0]["number"]).click()
    expect(page.get_by_role("heading", name=orders[0]["number"])).to_be_visible()


def test_the_stage_path_moves_a_deal_and_losing_it_asks_why(page, sign_in, admin, account):
    deal = _deal(admin, account)
    sign_in()
    page.goto(f"/sales/deals/{deal['id']}")
    page.wait_for_load_state("load")
    path = page.locator("#stage-path")
    path.get_by_role("button", name="Needs identified").click()
    expect(page.locator("#deal-stage")).to_have_text("Needs identified")
    expect(path.get_by_role("button", name="Needs identified")).to_have_attribute(
        "aria-current", "step")
    # htmx binds the swapped-in forms as it settles; a click before that is not sent.
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, "
                           ".htmx-swapping')")
    path.get_by_role("button", name="Lost", exact=True).click()
    expect(path.locator("#close-lost")).to_have_class(re.compile(r"\bshow\b"))
    path.get_by_label("Why was it lost?").fill("No budget this year")
    path.get_by_role("button", name="Mark as Lost").click()
    expect(page.locator("#deal-stage")).to_have_text("Lost")
    expect(page.locator("#deal-reason")).to_have_text("No budget this year")
    saved = admin.get(f"/sales/opportunities/{deal['id']}").get_json()
    assert (saved["status"], saved["win_loss_reason"]) == ("lost", "No budget this year")
