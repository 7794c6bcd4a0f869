"""The everyday web UI in a real browser: records with custom fields, module switches, the
language switch, inline validation errors and the phone layout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("gated")]


def test_account_with_a_custom_field_defined_on_the_admin_page(signed_in):
    page = signed_in
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Custom fields").click()
    page.get_by_label("Label").fill("Tier")
    page.get_by_label("Name").fill("tier")
    page.get_by_label("Type").select_option(label="Choice")
    page.get_by_label("Options (one per line, for choices)").fill("Gold\nSilver")
    page.get_by_role("button", name="Add field").click()
    page.get_by_text("Field “Tier” added.").wait_for()

    page.get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name="New Account").click()
    page.get_by_label("Name").fill("Initech")
    page.get_by_label("Tier").select_option("Gold")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Account created.").wait_for()
    page.get_by_role("link", name="Accounts").first.click()
    row = page.locator("#records tbody tr", has_text="Initech")
    expect(row).to_contain_text("Gold")
    expect(page.locator("#records thead")).to_contain_text("Tier")


def test_load_more_appends_the_next_page(signed_in, auth, tenant):
    api = auth.api(tenant)
    for number in range(52):
        api.post("/accounts", json={"name": f"Firm {number:02d}"})
    page = signed_in
    page.goto("/records/account/?sort=name")
    rows = page.locator("#records tbody tr:not(#load-more)")
    expect(rows).to_have_count(50)
    page.get_by_role("button", name="Load more").click()
    expect(rows).to_have_count(52)
    expect(rows.last).to_contain_text("Firm 51")
    expect(page.get_by_role("button", name="Load more")).to_have_count(0)


def test_switching_a_module_off_removes_its_menu_entry_and_pages(signed_in, live_server):
    page = signed_in
    page.goto("/admin/modules")
    page.get_by_label("Gated").check()
    page.get_by_text("Gated is on.").wait_for()
    expect(page.locator("#main-menu")).to_contain_text("Gated")
    page.get_by_label("Gated").uncheck()
    page.get_by_text("Gated is off; its data is kept.").wait_for()
    expect(page.locator("#main-menu")).not_to_contain_text("Gated")
    assert page.goto("/gated/").status == 404


def test_switching_the_ui_to_chinese(signed_in):
    page = signed_in
    page.goto("/records/account/")
    page.get_by_role("button", name="Language").click()
    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("heading", name="客户").wait_for()
    expect(page.locator("#main-menu")).to_contain_text("管理")
    expect(page.get_by_role("link", name="新建客户")).to_be_visible()
    page.reload()  # stored on the user, not just for one page
    page.get_by_role("heading", name="客户").wait_for()


def test_an_edit_with_a_validation_error_shows_the_message_inline(signed_in, auth, tenant):
    account = auth.api(tenant).post("/accounts", json={"name": "Hooli"}).get_json()
    page = signed_in
    page.goto(f"/records/account/{account['id']}")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Name").fill("")
    page.get_by_label("Website").fill("not a web address")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-name-error")).to_have_text("This field is required.")
    expect(page.locator("#f-website-error")).to_have_text("Enter a web address, such as https://example.com.")
    expect(page.get_by_label("Website")).to_have_value("not a web address")
    expect(page.get_by_label("Name")).to_have_class(re.compile("is-invalid"))


def test_phone_width_collapses_the_menu(signed_in):
    page = signed_in
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/records/account/")
    toggler = page.get_by_role("button", name="Menu")
    expect(toggler).to_be_visible()
    expect(page.get_by_role("link", name="Accounts")).to_be_hidden()
    toggler.click()
    expect(page.get_by_role("link", name="Accounts")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
