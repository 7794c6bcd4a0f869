"""In a real browser: every default role lands on a home page that shows its day's work, and
a manager hears of the approval a rep asks for by the bell and approves it from home; in
English and Chinese, at desktop and phone width."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.plugins.service.test_my_jobs import _job, _technician

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def office(auth, tenant, make_user, switch_module):
    """A tenant with sales and service on, and one user of each default role with work."""
    admin = auth.api(tenant)
    for module in ("sales", "service"):
        switch_module(admin, module)
    people = {role: make_user(tenant, role, email=f"{role}@acme.test", name=role.title())
              for role in ("sales_manager", "sales_rep", "service_agent", "marketer",
                           "read_only")}
    rep, manager = people["sales_rep"], people["sales_manager"]
    department = admin.post("/departments", json={"name": "East"}).get_json()["id"]
    admin.patch(f"/users/{rep.user_id}", json={"manager_id": manager.user_id,
                                                "department_id": department})
    admin.patch(f"/users/{manager.user_id}", json={"department_id": department})
    account = rep.post("/accounts", json={"name": "Initech"}).get_json()
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    rep.post("/activities", json={"kind": "call_out", "subject": "Call Initech", "due_at": soon})
    rep.post("/sales/opportunities", json={"name": "Initech fleet", "amount": "1200",
                                           "account_id": account["id"]})
    admin.post("/service/tickets", json={"subject": "Toner smears",
                                         "assignee_id": people["service_agent"].user_id})
    _, technician = _technician(admin, tenant, make_user, "Tess")
    _job(admin, "Boiler", technician, 23)
    return {"admin": admin, "account": account, **people}


#: What each default role finds on its home page (widget ids).
EXPECTED = {
    "sales_manager": ("sales-team", "sales-pipeline", "core-my_tasks"),
    "sales_rep": ("core-my_tasks", "sales-pipeline"),
    "service_agent": ("service-my_tickets", "core-my_tasks"),
    "tess": ("service-todays_jobs",),
    "marketer": ("core-my_tasks",),
    "read_only": ("core-my_tasks",),
}


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_every_default_role_lands_on_its_work(width, page, tenant, office, sign_in_as):
    page.set_viewport_size({"width": width, "height": 900})
    for role, widgets in EXPECTED.items():
        sign_in_as("tess@acme.test" if role == "tess" else f"{role}@acme.test")
        for widget in widgets:
            expect(page.locator(f"#widget-{widget}")).to_be_visible()
        assert page.evaluate(OVERFLOW) <= 0, f"{role}'s home is wider than {width} px"
        if role == "sales_rep":
            expect(page.locator("#widget-core-my_tasks")).to_contain_text("Call Initech")
            page.locator("#widget-core-my_tasks button", has_text="Done").click()
            expect(page.locator("#widget-core-my_tasks")).to_contain_text("Nothing due today.")
        if role == "service_agent":
            expect(page.locator("#bell-count")).to_have_text("1")  # the ticket assigned
        page.context.clear_cookies()


@pytest.mark.parametrize(("locale", "width"), [("en", 1366), ("zh_Hans", 390)],
                         ids=["english-desktop", "chinese-phone"])
def test_a_manager_hears_of_an_approval_and_approves_it_from_home(locale, width, page, tenant,
                                                                  office, sign_in_as):
    admin, rep, manager = office["admin"], office["sales_rep"], office["sales_manager"]
    admin.patch(f"/users/{manager.user_id}", json={"locale": locale})
    admin.patch("/sales/settings", json={"quote_discount_threshold": "10"})
    product = admin.post("/products", json={"sku": "PR-9", "name": "Printer",
                                            "list_price": "500"}).get_json()
    quote = rep.post("/sales/quotes", json={"name": "Initech printers",
                                            "account_id": office["account"]["id"],
                                            "discount_percent": "20"}).get_json()
    rep.post(f"/sales/quotes/{quote['id']}/lines", json={"product_id": product["id"],
                                                         "quantity": "2"})
    assert rep.post(f"/sales/quotes/{quote['id']}/approval").status_code == 201

    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("sales_manager@acme.test")
    expect(page.locator("#bell-count")).to_have_text("1")
    page.locator("#bell").click()
    notice = page.locator("#notifications li").first
    expect(notice).to_contain_text("Initech printers")
    expect(notice).to_contain_text("请您审批" if locale == "zh_Hans" else "asks you to approve")
    notice.locator("button").click()
    expect(page).to_have_url(re.compile(rf"/sales/quotes/{quote['id']}$"))
    expect(page.locator("#bell-count")).to_have_count(0)
    assert page.evaluate(OVERFLOW) <= 0

    page.goto("/")
    waiting = page.locator("#widget-sales-approvals")
    expect(waiting).to_contain_text("Initech printers")
    waiting.locator("form[action$='/approve'] button").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "已批准：报价可以发送。" if locale == "zh_Hans" else "Approved: the quote can be sent.")
    assert rep.get(f"/sales/quotes/{quote['id']}").get_json()["approval_status"] == "approved"
    [told] = rep.get("/me/notifications").get_json()["items"]
    assert told["text"] == "Sales_Manager approved Initech printers."
    page.goto("/")
    expect(page.locator("#widget-sales-approvals")).to_have_count(0)
