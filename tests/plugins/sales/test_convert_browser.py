"""In a real browser: convert a lead from "My day" and land on the new deal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_convert_a_lead_and_land_on_the_deal(width, page, sign_in, admin, account, tenant):
    admin.post("/sales/leads", json={"first_name": "Grace", "last_name": "Hopper",
                                     "company": "Initech", "domain": "initech.test",
                                     "email": "grace@initech.test"})
    page.set_viewport_size({"width": width, "height": 844})
    sign_in()
    page.goto("/sales/my-day")
    page.get_by_role("link", name="Convert Grace Hopper").click()
    expect(page.get_by_label("Link to").first).to_have_value(account["id"])  # the match
    page.get_by_label("Deal name").fill("Hopper compilers")
    page.get_by_label("Amount").fill("abc")
    page.get_by_role("button", name="Convert").click()
    expect(page.locator("#f-deal-amount-error")).to_be_visible()  # refused, nothing changed
    page.get_by_label("Amount").fill("4200")
    page.get_by_label("Stage").select_option(label="Needs identified")
    page.get_by_role("button", name="Convert").click()
    expect(page).to_have_url(re.compile(r"/sales/deals/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Hopper compilers")).to_be_visible()
    expect(page.locator("#deal-stage")).to_have_text("Needs identified")
    expect(page.get_by_text("Lead converted.")).to_be_visible()
