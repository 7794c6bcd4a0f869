"""Importing a CSV file in a real browser, at a desktop's and a phone's width: a row error
found by "Check", the file fixed, the import followed to the end by its progress bar, its
Company column naming accounts already there.

Imports are run by the embedded worker, the loop ``patron run`` starts beside the server.
"""

from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import expect

from patron.events.worker import run_forever

#: Long enough for the worker's ``core.imports`` job to come round (every few seconds).
WORKER_WAIT_MS = 30_000
HEADER = "First name,Last name,Email,Company\n"
BAD = HEADER + "Ada,Lovelace,ada@example.test,Initech\nAlan,Turing,alan at example,initech\n"
FIXED = BAD.replace("alan at example", "alan@example.test")


@pytest.fixture
def worker(app, live_server):
    """The embedded worker, polling often, until the test ends."""
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(app, stop, 0.2), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


def csv_file(text: str) -> dict:
    return {"name": "contacts.csv", "mimeType": "text/csv", "buffer": text.encode()}


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_a_bad_row_is_reported_then_the_fixed_file_is_imported(width, page, sign_in, worker,
                                                               auth, tenant):
    auth.api(tenant).post("/accounts", json={"name": "Initech"})
    page.set_viewport_size({"width": width, "height": 900})
    sign_in()
    page.goto("/records/contact/")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_label("Import into")).to_have_value("contact")
    # htmx must be bound to the file input before a file is chosen (the form is in the page
    # before its scripts have run, on a busy machine).
    page.wait_for_load_state("load")
    page.get_by_label("CSV file").set_input_files(csv_file(BAD))
    # The mapping step is the server's answer to the upload: allow for a busy machine.
    expect(page.get_by_label("Last name", exact=True)).to_have_value("last_name",
                                                                      timeout=20_000)
    expect(page.get_by_label("Email", exact=True)).to_have_value("email")

    page.get_by_role("button", name="Check").click()
    errors = page.locator("#check-result #import-errors tbody tr")
    expect(errors).to_have_count(1, timeout=WORKER_WAIT_MS)
    expect(errors).to_contain_text("Line 3")
    expect(errors).to_contain_text("Enter an e-mail address, such as name@example.com.")
    expect(page.locator("#check-result")).to_contain_text("Nothing was changed")

    page.get_by_label("CSV file").set_input_files(csv_file(FIXED))
    expect(page.locator("#check-result")).to_be_empty()
    expect(page.get_by_label("Email", exact=True)).to_have_value("email")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]{36}$"))
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=WORKER_WAIT_MS)
    expect(page.locator("#import-outcome")).to_have_text(
        "Import finished: 2 created, 0 updated, 0 skipped.")

    page.get_by_role("link", name="Go to Contacts").click()
    rows = page.locator("#records tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#records")).to_contain_text("Lovelace")
    expect(page.locator("#records")).to_contain_text("Turing")
    for row in range(2):  # the Company column named the account, matched by its name
        expect(rows.nth(row)).to_contain_text("Initech")
