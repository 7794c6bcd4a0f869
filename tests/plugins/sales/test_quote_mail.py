"""Sending a quote: e-mailed to a contact at its account with its PDF (read back from a real
SMTP server on loopback), the tenant's letterhead on the PDF and the printable page, the
quote's number kept by its revisions, and a clear refusal when no mail server is set."""

from __future__ import annotations

import base64
import io

import pytest
from pypdf import PdfReader

from patron.events.worker import run_once
from patron.testing.fixtures import csrf_token_from

QUOTES = "/sales/quotes"
#: A 1×1 PNG, the smallest logo there is.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD"
                       "hgGAWjR9awAAAABJRU5ErkJggg==")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def letterhead(admin):
    changed = admin.patch("/tenant", json={"name": "Acme Office Supplies",
                                           "address": "1 Harbour Road\n20457 Hamburg",
                                           "tax_number": "DE 123 456 789"})
    assert changed.status_code == 200, changed.get_json()
    logo = admin.put("/tenant/logo", data={"file": (io.BytesIO(PNG), "logo.png")},
                     content_type="multipart/form-data")
    assert logo.status_code == 200 and logo.get_json()["has_logo"] is True


@pytest.fixture
def offer(admin, account):
    """A deal with a primary contact at its account and a product line, and its quote."""
    admin.patch(f"/accounts/{account['id']}", json={"addresses": [
        {"kind": "billing", "street": "4120 Freidrich Lane", "city": "Austin",
         "postcode": "78744", "country": "US"}]})
    ada = admin.post("/contacts", json={"first_name": "Ada", "last_name": "Lovelace",
                                        "email": "ada@initech.test",
                                        "account_id": account["id"]}).get_json()
    deal = admin.post("/sales/opportunities", json={"name": "Office fit-out",
                                                    "account_id": account["id"]}).get_json()
    admin.post(f"/sales/opportunities/{deal['id']}/contacts",
               json={"contact_id": ada["id"], "role": "economic_buyer", "is_primary": True})
    desk = admin.post("/products", json={"sku": "DESK", "name": "Standing desk",
                                         "list_price": "250"}).get_json()
    admin.post(f"/sales/opportunities/{deal['id']}/lines",
               json={"product_id": desk["id"], "quantity": "4"})
    quote = admin.post(QUOTES, json={"name": "Fit-out offer", "opportunity_id": deal["id"],
                                     "valid_until": "2099-12-31",
                                     "notes": "Delivery within 3 weeks."})
    assert quote.status_code == 201, quote.get_json()
    return {"quote": quote.get_json(), "ada": ada}


class TestWithAMailServer:
    @pytest.fixture
    def patron_config(self, smtp_inbox):
        return smtp_inbox.config

    def test_the_quote_reaches_the_contact_with_its_pdf(self, app, admin, letterhead, offer,
                                                        smtp_inbox):
        quote, ada = offer["quote"], offer["ada"]
        assert quote["number"] == "QT-00001" and quote["contact_id"] == ada["id"]
        sent = admin.post(f"{QUOTES}/{quote['id']}/send",
                          json={"contact_id": ada["id"], "message": "As discussed on Monday."})
        assert sent.status_code == 200, sent.get_json()
        assert sent.get_json()["status"] == "sent"
        assert sent.get_json()["sent_to"] == "ada@initech.test"
        with app.app_context():
            assert run_once() == 1
        [mail] = smtp_inbox.messages
        assert mail["To"] == "ada@initech.test"
        assert mail["Subject"] == "Quote QT-00001 from Acme Office Supplies"
        body = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert body.startswith("Dear Ada Lovelace,\n\nAs discussed on Monday.")
        [pdf] = list(mail.iter_attachments())
        assert (pdf.get_content_type(), pdf.get_filename()) == ("application/pdf",
                                                                "QT-00001.pdf")
        text = pdf_text(pdf.get_content())
        for expected in ("Acme Office Supplies", "1 Harbour Road", "20457 Hamburg",
                         "DE 123 456 789", "QT-00001", "Initech", "4120 Freidrich Lane",
                         "78744 Austin", "Ada Lovelace", "ada@initech.test", "Standing desk",
                         "Delivery within 3 weeks.", "Valid until"):
            assert expected in text, expected

    def test_a_contact_elsewhere_or_without_an_address_is_refused(self, admin, offer,
                                                                  smtp_inbox):
        quote = offer["quote"]
        stranger = admin.post("/contacts", json={"last_name": "Stranger",
                                                 "email": "x@elsewhere.test"}).get_json()
        mute = admin.post("/contacts", json={"last_name": "Mute",
                                             "account_id": quote["account_id"]}).get_json()
        for contact, message in ((stranger, "not at the quote's account"),
                                 (mute, "no e-mail address")):
            refused = admin.post(f"{QUOTES}/{quote['id']}/send",
                                 json={"contact_id": contact["id"]})
            assert refused.status_code == 422
            assert message in refused.get_json()["errors"]["contact_id"][0]
        assert admin.get(f"{QUOTES}/{quote['id']}").get_json()["status"] == "draft"


def test_without_a_mail_server_the_quote_is_only_marked_sent(admin, offer):
    quote, ada = offer["quote"], offer["ada"]
    refused = admin.post(f"{QUOTES}/{quote['id']}/send", json={"contact_id": ada["id"]})
    assert refused.status_code == 422
    assert "No mail server is configured" in refused.get_json()["errors"]["contact_id"][0]
    assert admin.get(f"{QUOTES}/{quote['id']}").get_json()["status"] == "draft"
    sent = admin.post(f"{QUOTES}/{quote['id']}/send")
    assert sent.status_code == 200 and sent.get_json()["sent_to"] is None
    revised = admin.post(f"{QUOTES}/{quote['id']}/revise").get_json()
    assert (revised["number"], revised["revision"]) == ("QT-00001", 2)
    pdf = admin.get(f"{QUOTES}/{revised['id']}/pdf")
    assert pdf.mimetype == "application/pdf"
    assert "QT-00001" in pdf_text(pdf.data) and "Revision 2" in pdf_text(pdf.data)
    second = admin.post(QUOTES, json={"name": "Other", "account_id": quote["account_id"]})
    assert second.get_json()["number"] == "QT-00002"


def test_the_letterhead_is_set_on_the_organisation_page(admin, auth, tenant, client,
                                                        letterhead):
    auth.login(tenant)
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert 'id="letterhead-logo"' in page and "1 Harbour Road" in page
    token = csrf_token_from(page)
    refused = client.post("/admin/organisation/logo", data={
        "csrf_token": token, "file": (io.BytesIO(b"GIF89a not a png"), "logo.gif")},
        content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Upload a PNG or JPEG image." in refused.get_data(as_text=True)
    assert admin.get("/tenant").get_json()["has_logo"] is True
    removed = client.post("/admin/organisation/logo", data={"csrf_token": token,
                                                            "remove": "yes"})
    assert removed.status_code == 302
    assert admin.get("/tenant").get_json()["has_logo"] is False
    assert admin.get("/tenant/logo").status_code == 404
