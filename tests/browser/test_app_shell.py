"""The app shell in a real browser: the sidebar grouped by module, the global search box
(``/`` focuses it, typeahead grouped by record type, Enter for every result), the "+ New"
menu of what the user may create, and the off-canvas drawer at a phone's width."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from patron.testing.fixtures import PASSWORD


def test_sidebar_groups_entries_by_module_in_order(signed_in, auth, tenant):
    for module in ("sales", "service"):
        auth.api(tenant).put(f"/modules/{module}", json={"enabled": True})
    page = signed_in
    page.reload()
    headings = page.locator("#main-menu .sidebar-heading")
    expect(headings).to_have_text(["Customers", "Sales", "Service", "Tools", "Administration"])
    customers = page.locator("#main-menu .sidebar-group",
                             has=page.get_by_text("Customers", exact=True))
    customers.locator(".sidebar-heading").click()  # folds its own group only
    expect(customers.get_by_role("link", name="Accounts")).to_be_hidden()
    expect(page.locator("#main-menu").get_by_role("link", name="Tickets")).to_be_visible()
    customers.locator(".sidebar-heading").click()
    sales = page.locator("#main-menu .sidebar-group", has=page.get_by_text("Sales", exact=True))
    expect(sales.get_by_role("link")).to_have_text(
        ["My day", "Leads", "Opportunities", "Pipeline board", "Contracts", "Orders",
         "Forecast", "Team", "Customer pool"])
    sales.locator(".sidebar-heading").click()  # a group folds away and opens again
    expect(sales.get_by_role("link", name="Leads")).to_be_hidden()
    sales.locator(".sidebar-heading").click()
    expect(sales.get_by_role("link", name="Leads")).to_be_visible()  # open again, at rest
    with page.expect_navigation():
        sales.get_by_role("link", name="Opportunities").click()
    expect(page.get_by_role("heading", name="Opportunities")).to_be_visible()
    expect(page.locator("#main-menu a.active")).to_have_text("Opportunities")


def test_slash_searches_with_suggestions_then_every_result(signed_in, auth, tenant):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Vortex Dynamics"}).get_json()
    api.post("/contacts", json={"first_name": "Val", "last_name": "Vortex"})
    page = signed_in
    page.wait_for_load_state("load")  # the shell's script listens for "/"
    page.locator("h1, main").first.click()
    page.keyboard.press("/")
    expect(page.locator("#global-search-input")).to_be_focused()
    page.keyboard.type("vorte")
    suggestions = page.locator("#search-suggestions")
    headings = suggestions.locator(".list-group-item.bg-body-tertiary")
    expect(headings).to_have_count(2)  # by record type, the best hit's type first
    assert set(headings.all_inner_texts()) == {"Accounts", "Contacts"}
    page.keyboard.press("Escape")  # closes the list (and, in Chromium, empties the box)
    expect(suggestions.locator("a")).to_have_count(0)
    page.locator("#global-search-input").press_sequentially("vortex dyn")
    suggestions.get_by_role("option", name="Vortex Dynamics").click()
    expect(page).to_have_url(re.compile(f"/records/account/{account['id']}$"))
    page.locator("#global-search-input").fill("vortex")
    page.locator("#global-search-input").press("Enter")
    expect(page.get_by_text("2 records found.")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="Val Vortex")).to_be_visible()


def test_new_menu_offers_what_the_user_may_create(page, sign_in, make_user, tenant):
    make_user(tenant, "sales_rep", email="rep@acme.test")
    page.goto("/login")
    page.get_by_label("Organisation").fill(tenant.slug)
    page.get_by_label("E-mail").fill("rep@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Welcome").wait_for()
    page.wait_for_load_state("load")  # Bootstrap's script opens the dropdown
    page.locator("#new-menu").click()
    menu = page.locator("[aria-labelledby=new-menu]")
    expect(menu.get_by_role("link")).to_have_text(["Account", "Contact", "Activity"])
    menu.get_by_role("link", name="Contact").click()
    expect(page.get_by_role("heading", name="New Contact")).to_be_visible()


def test_phone_width_opens_the_menu_as_a_drawer(signed_in):
    page = signed_in
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    contacts = page.locator("#main-menu").get_by_role("link", name="Contacts")
    expect(contacts).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(contacts).to_be_visible()
    contacts.click()
    expect(page.get_by_role("heading", name="Contacts")).to_be_visible()
    expect(contacts).to_be_hidden()
    page.wait_for_load_state("load")  # the stylesheets too: an unstyled table is wide
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
