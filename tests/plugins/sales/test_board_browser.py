"""In a real browser: drag a deal to another stage on the board and see it in its history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_drag_a_deal_to_another_stage_and_see_the_history(width, page, sign_in, drag, admin,
                                                          account, stages):
    admin.post("/sales/opportunities", json={"name": "Delta", "account_id": account["id"],
                                             "amount": "900", "currency": "EUR"})
    page.set_viewport_size({"width": width, "height": 900})
    sign_in()
    page.goto("/sales/board")
    target = stages["Interest shown"]["id"]
    card = page.locator(".deal-card", has_text="Delta")
    column = page.locator(f'ul[data-stage-id="{target}"]')
    drag(card, column, dy=20)
    expect(page.locator(f'[data-stage-total="{target}"]')).to_contain_text("1 deal")
    expect(column.locator(".deal-card", has_text="Delta")).to_have_count(1)
    page.get_by_role("link", name="Delta").click()
    history = page.locator("#stage-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Initial contact")
    expect(history.nth(1)).to_contain_text("Interest shown")
    expect(page.locator("#deal-stage")).to_have_text("Interest shown")
