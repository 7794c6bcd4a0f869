"""In a real browser, at a desktop's and a phone's width: an admin sets up a pipeline and a
price list in Settings without typing an id — stages reordered by dragging, a product picked
by its name — and the API then reads what the pages did."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

WIDTHS = {"desktop": 1366, "phone": 375}


@pytest.fixture
def api(auth, tenant, switch_module):
    """The tenant's admin through the API, with the sales module on."""
    client = auth.api(tenant)
    switch_module(client, "sales")
    return client


def open_settings(page, width: int) -> None:
    if width < 768:  # the sidebar is a drawer on a phone
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Settings").click()


@pytest.mark.parametrize("device", WIDTHS)
def test_set_up_a_pipeline_and_a_price_list(device, page, sign_in, api, drag, pick):
    width = WIDTHS[device]
    page.set_viewport_size({"width": width, "height": 900})
    api.post("/products", json={"name": "Widget Pro", "sku": "WP-1"})
    sign_in()
    open_settings(page, width)
    page.get_by_role("link", name="Pipelines and stages").click()
    page.get_by_role("link", name="Add").click()
    page.get_by_label("Name").fill("Renewals")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Renewals").click()

    stages = page.locator("form[data-sortable] li[data-row-id]")
    expect(stages).to_have_count(11)
    won, lost = stages.nth(9), stages.nth(10)
    expect(lost).to_contain_text("Lost")
    lost.scroll_into_view_if_needed()
    with page.expect_response(lambda r: r.url.endswith("/settings/sales/stages/order")):
        drag(lost, won, dy=4)
    pipeline = api.get("/sales/pipelines?q=Renewals").get_json()["items"][0]
    assert [s["name"] for s in pipeline["stages"]][-2:] == ["Lost", "Won"]

    page.get_by_role("link", name="Settings").first.click()
    page.get_by_role("link", name="Price lists").click()
    page.get_by_role("link", name="Add").click()
    page.get_by_label("Name").fill("Trade 2027")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Trade 2027").click()
    adding = page.locator("#add-items")
    pick(adding, "Product", "Widget Pro")
    adding.get_by_label("Unit price").fill("49.90")
    adding.get_by_role("button", name="Add").click()
    expect(page.locator("#rows-items li").first.get_by_label("Unit price")).to_have_value(
        "49.9000")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    price_list = api.get("/sales/price-lists?q=Trade 2027").get_json()["items"][0]
    items = api.get(f"/sales/price-lists/{price_list['id']}/items").get_json()["items"]
    assert [Decimal(item["unit_price"]) for item in items] == [Decimal("49.90")]
