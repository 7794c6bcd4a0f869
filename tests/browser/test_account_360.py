"""An account's page and its 360° view in a real browser: at phone width, log an activity
on the timeline tab, then find it and the account's contact on the 360° page; at desktop and
phone widths, make an account on its page and give it contacts picked by its name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

PHONE = {"width": 375, "height": 740}


def test_an_activity_logged_on_the_timeline_shows_on_the_360_page(page, auth, tenant,
                                                                  sign_in):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    api.post("/contacts", json={"first_name": "Peter", "last_name": "Gibbons",
                                "account_id": account["id"]})
    page.set_viewport_size(PHONE)
    sign_in()
    page.goto("/records/account/")
    page.get_by_role("link", name="Initech").click()
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_text(["Details", "Timeline", "Attachments", "History"])
    page.wait_for_load_state("load")  # measured with the stylesheets and fonts in place
    boxes = [tabs.nth(index).bounding_box() for index in range(4)]
    assert {box["y"] for box in boxes} == {boxes[0]["y"]}  # one row on the phone's screen
    assert boxes[-1]["x"] + boxes[-1]["width"] <= PHONE["width"]
    page.get_by_role("tab", name="Timeline").click()
    page.get_by_label("Kind").select_option(label="Meeting")
    page.get_by_label("Subject").fill("Quarterly review")
    page.get_by_role("button", name="Log activity").click()
    page.get_by_text("Activity logged.").wait_for()
    expect(page.get_by_role("tab", name="Timeline")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#timeline-entries")).to_contain_text("Quarterly review")

    page.get_by_role("link", name="360° view").click()
    expect(page.get_by_role("heading", name="Initech")).to_be_visible()
    expect(page.locator("#contacts")).to_contain_text("Peter Gibbons")
    expect(page.locator("#timeline")).to_contain_text("Quarterly review")
    expect(page.locator("#timeline")).to_contain_text("Meeting")


@pytest.mark.parametrize("width", [1366, 375], ids=["desktop", "phone"])
def test_an_account_made_on_its_page_gets_its_contacts_by_name(width, page, sign_in, pick):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in()
    page.goto("/records/account/new")
    page.get_by_label("Name").fill("Initrode")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Account created.")).to_be_visible()
    for first, last in (("Milton", "Waddams"), ("Bill", "Lumbergh")):
        page.goto("/records/contact/new")
        page.get_by_label("First name").fill(first)
        page.get_by_label("Last name").fill(last)
        pick(page, "Account", "Initrode")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Contact created.")).to_be_visible()
    page.goto("/records/account/")
    page.get_by_role("link", name="Initrode").click()
    page.get_by_role("link", name="360° view").click()
    contacts = page.locator("#contacts")
    expect(contacts).to_contain_text("Milton Waddams")
    expect(contacts).to_contain_text("Bill Lumbergh")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
