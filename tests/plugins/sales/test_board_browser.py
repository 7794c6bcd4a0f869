"""In a real browser: drag a deal to another stage on the board and see it in its history."""

from __future__ import annotations

from playwright.sync_api import expect

from patron.testing.fixtures import PASSWORD


def test_drag_a_deal_to_another_stage_and_see_the_history(page, admin, account, stages,
                                                          tenant):
    admin.post("/sales/opportunities", json={"name": "Delta", "account_id": account["id"],
                                             "amount": "900", "currency": "EUR"})
    page.goto("/login")
    page.get_by_label("Organisation").fill(tenant.slug)
    page.get_by_label("E-mail").fill(tenant.admin_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Pipeline board").click()
    target = stages["Interest shown"]["id"]
    card = page.locator(".deal-card", has_text="Delta")
    column = page.locator(f'ul[data-stage-id="{target}"]')
    # SortableJS follows the pointer: press, move in steps, release over the other column.
    start, end = card.bounding_box(), column.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 20, steps=20)
    page.mouse.up()
    expect(page.locator(f'[data-stage-total="{target}"]')).to_contain_text("1 deal")
    expect(column.locator(".deal-card", has_text="Delta")).to_have_count(1)
    page.get_by_role("link", name="Delta").click()
    history = page.locator("#stage-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Initial contact")
    expect(history.nth(1)).to_contain_text("Interest shown")
    expect(page.locator("#deal-stage")).to_have_text("Interest shown")
