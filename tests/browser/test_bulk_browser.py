"""In a real browser: a sales manager ticks every one of 1,000 accounts her rep owns and
hands them to another rep in one bulk action; the rep gives one back to the pool before the
job reaches it, so that one is refused and reported while the other 999 change hands. In
English at a desktop's width and in Chinese at a phone's."""

from __future__ import annotations

import io
import threading

import pytest
from playwright.sync_api import expect

from patron.db import db, tenant_context
from patron.events.worker import run_forever
from patron.imports.runner import run_queued_imports

ROWS = 1000
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def import_accounts(app, tenant, api, count: int) -> None:
    """``count`` accounts owned by ``api``'s user, through a CSV import."""
    text = "Name\n" + "".join(f"Account {n:04d}\n" for n in range(count))
    answer = api.post("/imports", data={"file": (io.BytesIO(text.encode()), "a.csv"),
                                        "resource": "account"},
                      content_type="multipart/form-data")
    assert answer.status_code == 202, answer.get_json()
    with app.app_context(), tenant_context(tenant.id):
        run_queued_imports()
        db.session.remove()
    assert api.get("/accounts?count=true&limit=1").get_json()["total"] == count


@pytest.mark.parametrize(("locale", "width"), [("en", 1366), ("zh_Hans", 390)],
                         ids=["en-desktop", "zh-phone"])
def test_a_bulk_owner_change_over_a_thousand_accounts(locale, width, app, live_server, page,
                                                      auth, tenant, make_user, switch_module,
                                                      sign_in_as):
    admin = auth.api(tenant)
    switch_module(admin, "sales")
    sales = admin.post("/departments", json={"name": "Sales"}).get_json()["id"]
    manager = make_user(tenant, "sales_manager", email="maria@acme.test", name="Maria",
                        department_id=sales)
    admin.patch(f"/users/{manager.user_id}", json={"locale": locale})
    erik = make_user(tenant, "sales_rep", email="erik@acme.test", name="Erik",
                     department_id=sales)
    make_user(tenant, "sales_rep", email="wendy@acme.test", name="Wendy", department_id=sales)
    import_accounts(app, tenant, erik, ROWS)

    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("maria@acme.test")
    page.goto("/records/account/")
    expect(page.locator("#bulk-form")).to_be_hidden()
    page.locator("[data-select-page]").check()
    expect(page.locator("#bulk-form")).to_be_visible()
    expect(page.locator("[data-bulk-count]")).to_contain_text("50")
    page.locator("[data-select-matching]").click()
    expect(page.locator("#record-count")).to_contain_text("1000")
    page.locator("#bulk-action").select_option("set:owner_id")
    page.locator("[name='value.set:owner_id']").select_option(label="Wendy")
    assert page.evaluate(OVERFLOW) <= 0
    page.locator("#bulk-form [type=submit]").click()
    expect(page.locator("#bulk-progress")).to_have_attribute("data-status", "queued")

    # Before the worker reaches it, Erik gives one of the accounts back to the pool: it is
    # nobody's now, so no longer in Maria's scope.
    released = erik.get("/accounts?sort=name&limit=1").get_json()["items"][0]
    assert erik.post(f"/sales/pool/{released['id']}/release", json={}).status_code == 200

    stop = threading.Event()
    worker = threading.Thread(target=run_forever, args=(app, stop, 0.2), daemon=True)
    worker.start()
    try:
        expect(page.locator("#bulk-progress")).to_have_attribute("data-status", "done",
                                                                 timeout=60_000)
    finally:
        stop.set()
        worker.join(timeout=30)
    expect(page.locator("#bulk-outcome")).to_contain_text("999")
    refused = page.locator("#bulk-refused tbody tr")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("不再在您的数据范围" if locale == "zh_Hans"
                                    else "no longer in your data scope")
    assert page.evaluate(OVERFLOW) <= 0

    wendy = {u["email"]: u["id"] for u in admin.get("/users?limit=100").get_json()["items"]}[
        "wendy@acme.test"]
    owned = admin.get(f"/accounts?owner_id={wendy}&count=true&limit=1").get_json()["total"]
    assert owned == ROWS - 1
    assert admin.get(f"/accounts/{released['id']}").get_json()["owner_id"] is None
