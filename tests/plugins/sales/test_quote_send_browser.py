"""In a real browser: a quote e-mailed from its editor to the deal's contact, with a message,
reaching the local SMTP server with its PDF; the printable page with the letterhead. In
English at a desktop's width and in Chinese at a phone's."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from patron.events.worker import run_once

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def patron_config(smtp_inbox):
    return smtp_inbox.config


@pytest.mark.parametrize(("locale", "width"), [("en", 1366), ("zh_Hans", 390)],
                         ids=["en-desktop", "zh-phone"])
def test_a_quote_mailed_from_its_editor_with_its_pdf(locale, width, app, page, sign_in_as,
                                                    admin, account, tenant, smtp_inbox):
    admin.patch("/tenant", json={"address": "1 Harbour Road\n20457 Hamburg",
                                 "tax_number": "DE 123 456 789"})
    admin.patch(f"/users/{tenant.admin_id}", json={"locale": locale})
    ada = admin.post("/contacts", json={"first_name": "Ada", "last_name": "Lovelace",
                                        "email": "ada@initech.test",
                                        "account_id": account["id"]}).get_json()
    desk = admin.post("/products", json={"sku": "DESK", "name": "Standing desk",
                                         "list_price": "250"}).get_json()
    quote = admin.post("/sales/quotes", json={"name": "Desks", "account_id": account["id"]})
    quote = quote.get_json()
    admin.post(f"/sales/quotes/{quote['id']}/lines",
               json={"product_id": desk["id"], "quantity": "2"})
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(tenant.admin_email)
    page.goto(f"/sales/quotes/{quote['id']}")
    form = page.locator("#quote-send")
    form.locator("#send-contact").select_option(ada["id"])
    form.locator("#send-message").fill("As promised.")
    assert page.evaluate(OVERFLOW) <= 0
    form.locator("[type=submit]").click()
    expect(page.locator("#quote-status")).to_have_text("已发送" if locale == "zh_Hans"
                                                        else "Sent")
    expect(page.locator("#quote-sent-to")).to_contain_text("ada@initech.test")
    with app.app_context():
        assert run_once() == 1
    [mail] = smtp_inbox.messages
    assert mail["To"] == "ada@initech.test" and quote["number"] in mail["Subject"]
    [pdf] = list(mail.iter_attachments())
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "DE 123 456 789" in text and "Standing desk" in text and "Ada Lovelace" in text

    page.goto(f"/sales/quotes/{quote['id']}/print")
    expect(page.locator("#letterhead")).to_contain_text("1 Harbour Road")
    expect(page.locator("#quote-contact")).to_contain_text("ada@initech.test")
    assert page.evaluate(OVERFLOW) <= 0
