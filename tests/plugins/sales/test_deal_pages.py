"""A deal's page edits its contacts, product lines, competitors and team through the test
client (the browser test clicks): the API's rules, its field messages on bad input, nothing
changed on refusal, and 404 for a deal outside the user's scope."""

from __future__ import annotations

import re

import pytest

from patron.testing.fixtures import csrf_token_from

HTMX = {"HX-Request": "true"}


@pytest.fixture
def deal(admin, account):
    """A deal of the admin's, in EUR."""
    made = admin.post("/sales/opportunities", json={"name": "Roof repair", "currency": "EUR",
                                                    "account_id": account["id"]})
    assert made.status_code == 201
    return made.get_json()


@pytest.fixture
def product(admin):
    """A product listed at 120.00 EUR."""
    return admin.post("/products", json={"sku": "TILE", "name": "Roof tile",
                                         "list_price": "120", "currency": "EUR"}).get_json()


@pytest.fixture
def token(auth, tenant, client, deal):
    """The admin signed in on the client; the form token of the deal's page."""
    auth.login(tenant)
    return csrf_token_from(client.get(f"/sales/deals/{deal['id']}").get_data(as_text=True))


def _rows(html: str, section: str) -> list[str]:
    """The text of each row of a section's table."""
    table = re.search(rf'<table[^>]*id="{section}-table">(.*?)</table>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r'<tr data-row-id="[^"]+">(.*?)</tr>', table, re.S)]


def test_the_page_adds_changes_and_removes_rows_like_the_api(admin, client, deal, product,
                                                             token, account):
    base = f"/sales/deals/{deal['id']}"
    added = client.post(f"{base}/lines", headers=HTMX, data={
        "csrf_token": token, "product_id": product["id"], "quantity": "3"})
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert "<html" not in html and 'id="deal-body"' in html  # the body, for htmx to swap
    assert _rows(html, "lines") == ["Roof tile 3 €120.00 0 €360.00 Edit Remove"]
    assert re.search(r'id="deal-amount">€360.00<', html)
    line = admin.get(f"/sales/opportunities/{deal['id']}/lines").get_json()["items"][0]
    assert line["unit_price"] == "120.0000"  # the product's price, as the API prices it

    opened = client.get(f"{base}/lines/{line['id']}/edit", headers=HTMX)
    assert 'id="lines-edit"' in opened.get_data(as_text=True)
    assert 'value="3.0000"' in opened.get_data(as_text=True)
    changed = client.post(f"{base}/lines/{line['id']}", headers=HTMX, data={
        "csrf_token": token, "version": line["version"], "product_id": product["id"],
        "quantity": "2", "unit_price": "100", "discount_percent": "10"})
    assert changed.status_code == 200
    assert re.search(r'id="deal-amount">€180.00<', changed.get_data(as_text=True))
    assert admin.get(f"/sales/opportunities/{deal['id']}").get_json()["amount"] == "180.0000"

    swot = {"name": "Acme Roofing", "strengths": "Cheap", "weaknesses": "Slow",
            "opportunities": "Their backlog", "threats": "Price war"}
    plain = client.post(f"{base}/competitors", data={"csrf_token": token, **swot})
    assert plain.status_code == 302  # without htmx: back on the page
    assert plain.headers["Location"] == f"{base}#competitors"
    competitor = admin.get(f"/sales/opportunities/{deal['id']}/competitors").get_json()[
        "items"][0]
    assert {key: competitor[key] for key in swot} == swot

    contact = admin.post("/contacts", json={"first_name": "Ada", "last_name": "Byron",
                                            "account_id": account["id"]}).get_json()
    client.post(f"{base}/contacts", headers=HTMX, data={
        "csrf_token": token, "contact_id": contact["id"], "role": "economic_buyer",
        "is_primary": "y"})
    role = admin.get(f"/sales/opportunities/{deal['id']}/contacts").get_json()["items"][0]
    assert (role["role"], role["is_primary"]) == ("economic_buyer", True)

    removed = client.post(f"{base}/competitors/{competitor['id']}/delete", headers=HTMX,
                          data={"csrf_token": token})
    assert removed.status_code == 200
    assert admin.get(f"/sales/opportunities/{deal['id']}/competitors").get_json()[
        "items"] == []
    page = client.get(base).get_data(as_text=True)
    assert _rows(page, "contacts") == ["Ada Byron Economic buyer Yes Edit Remove"]
    events = admin.get("/audit-events?entity=opportunity_line").get_json()["items"]
    assert {event["action"] for event in events} >= {"create", "update"}


def test_bad_input_shows_the_message_next_to_the_field_and_changes_nothing(
        admin, client, deal, product, token):
    base = f"/sales/deals/{deal['id']}"
    refused = client.post(f"{base}/lines", headers=HTMX, data={
        "csrf_token": token, "product_id": product["id"], "quantity": "three"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert re.search(r'id="f-lines-new-quantity-error">Enter a number\.<', html)
    assert 'value="three"' in html  # what was typed stays in the form
    negative = client.post(f"{base}/lines", headers=HTMX, data={
        "csrf_token": token, "product_id": product["id"], "quantity": "-2"})
    assert negative.status_code == 422
    assert "Must be at least 0" in negative.get_data(as_text=True)
    nameless = client.post(f"{base}/competitors", data={"csrf_token": token,
                                                        "strengths": "Big"})
    assert nameless.status_code == 422  # without htmx: the whole page, with the message
    assert re.search(r'id="f-competitors-new-name-error">This field is required\.<',
                     nameless.get_data(as_text=True))
    assert admin.get(f"/sales/opportunities/{deal['id']}/lines").get_json()["items"] == []
    assert admin.get(f"/sales/opportunities/{deal['id']}/competitors").get_json()[
        "items"] == []
    assert admin.get(f"/sales/opportunities/{deal['id']}").get_json()["amount"] == "0.0000"

    line = admin.post(f"/sales/opportunities/{deal['id']}/lines", json={
        "product_id": product["id"], "quantity": "1"}).get_json()
    admin.patch(f"/sales/opportunities/{deal['id']}/lines/{line['id']}",
                json={"quantity": "4"})  # someone else changes it meanwhile
    stale = client.post(f"{base}/lines/{line['id']}", headers=HTMX, data={
        "csrf_token": token, "version": line["version"], "product_id": product["id"],
        "quantity": "9"})
    assert stale.status_code == 409 and "Someone else changed" in stale.get_data(as_text=True)
    assert admin.get(f"/sales/opportunities/{deal['id']}/lines").get_json()["items"][0][
        "quantity"] == "4.0000"
    assert client.post(f"{base}/lines", data={"product_id": product["id"],
                                              "quantity": "1"}).status_code == 400  # no token


def test_another_reps_deal_answers_404_on_every_deal_and_quote_page(
        admin, auth, tenant, client, make_user, product):
    owner = make_user(tenant, "sales_rep", email="owner@acme.test")
    make_user(tenant, "sales_rep", email="other@acme.test")
    account = owner.post("/accounts", json={"name": "Owner's account"}).get_json()
    deal = owner.post("/sales/opportunities", json={"name": "Owner's deal",
                                                    "account_id": account["id"]}).get_json()
    line = owner.post(f"/sales/opportunities/{deal['id']}/lines", json={
        "product_id": product["id"], "quantity": "1", "unit_price": "90"}).get_json()
    quote = owner.post("/sales/quotes", json={"name": "Owner's quote",
                                              "opportunity_id": deal["id"]}).get_json()
    auth.login(tenant, "other@acme.test")
    token = csrf_token_from(client.get("/sales/board").get_data(as_text=True))
    base = f"/sales/deals/{deal['id']}"
    for url in (base, f"{base}/lines/{line['id']}/edit", f"/sales/quotes/{quote['id']}",
                f"/sales/quotes/{quote['id']}/print"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Owner" not in response.get_data(as_text=True)
    for url, data in ((f"{base}/lines", {"product_id": product["id"], "quantity": "2"}),
                      (f"{base}/lines/{line['id']}", {"quantity": "2", "version": "1"}),
                      (f"{base}/lines/{line['id']}/delete", {}),
                      (f"{base}/quotes", {"name": "Sneaky"}),
                      (f"/sales/quotes/{quote['id']}", {"name": "Sneaky", "version": "1"}),
                      (f"/sales/quotes/{quote['id']}/send", {})):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 404, url
    assert owner.get(f"/sales/opportunities/{deal['id']}/lines").get_json()["items"][0][
        "quantity"] == "1.0000"
    assert [q["name"] for q in owner.get("/sales/quotes").get_json()["items"]] == [
        "Owner's quote"]


def test_the_opportunity_record_page_leads_to_the_deal_page(admin, account):
    deal = admin.post("/sales/opportunities", json={"name": "Fleet renewal",
                                                   "account_id": account["id"]}).get_json()
    page = admin.open(f"/records/opportunity/{deal['id']}").get_data(as_text=True)
    assert f'href="/sales/deals/{deal["id"]}"' in page and "Open the deal page" in page


def test_the_stage_path_moves_the_deal_and_closing_asks_why(admin, deal, stages, client,
                                                            token):
    page = f"/sales/deals/{deal['id']}"
    body = client.get(page).get_data(as_text=True)
    path = re.findall(r'name="stage_id" value="([^"]+)"[^>]*>([^<]+)</button>', body)
    assert [name for _, name in path][:2] == ["Initial contact", "Interest shown"]
    assert "Won" not in [name for _, name in path]  # closing is asked for separately
    assert 'aria-current="step"' in body and "Why was it lost?" in body
    moved = client.post(f"{page}/stage", data={"csrf_token": token, "version": "1",
                                               "stage_id": stages["Interest shown"]["id"]})
    assert moved.status_code == 302
    assert admin.get(f"/sales/opportunities/{deal['id']}").get_json()["stage_id"] == (
        stages["Interest shown"]["id"])
    stale = client.post(f"{page}/stage", data={"csrf_token": token, "version": "1",
                                               "stage_id": stages["Lost"]["id"]})
    assert stale.status_code == 409
    lost = client.post(f"{page}/stage", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "version": "2", "stage_id": stages["Lost"]["id"],
        "win_loss_reason": "Went with a cheaper printer"})
    assert lost.status_code == 200 and "Went with a cheaper printer" in lost.get_data(as_text=True)
    after = admin.get(f"/sales/opportunities/{deal['id']}").get_json()
    assert (after["stage_id"], after["status"], after["win_loss_reason"]) == (
        stages["Lost"]["id"], "lost", "Went with a cheaper printer")
    wrong = client.post(f"{page}/stage", data={"csrf_token": token,
                                               "version": str(after["version"]),
                                               "stage_id": "not-a-stage"})
    assert wrong.status_code == 422
    assert admin.get(f"/sales/opportunities/{deal['id']}").get_json() == after


def test_the_page_says_where_the_amount_comes_from_and_lets_the_user_choose(
        admin, client, deal, product, token):
    """The repro: adding product lines silently replaced a deal's amount."""
    page = client.get(f"/sales/deals/{deal['id']}").get_data(as_text=True)
    assert "The sum of the product lines." in page  # no amount typed in: the lines make it
    admin.patch(f"/sales/opportunities/{deal['id']}", json={"amount": "900"})
    admin.post(f"/sales/opportunities/{deal['id']}/lines",
               json={"product_id": product["id"], "quantity": "2"})
    page = client.get(f"/sales/deals/{deal['id']}").get_data(as_text=True)
    assert "Typed in: the product lines do not change it." in page
    assert re.search(r'id="deal-amount">€900\.00<', page)
    version = admin.get(f"/sales/opportunities/{deal['id']}").get_json()["version"]
    chose = client.post(f"/sales/deals/{deal['id']}/amount-source", data={
        "csrf_token": token, "version": str(version), "from_lines": "1"})
    assert chose.status_code == 302
    page = client.get(f"/sales/deals/{deal['id']}").get_data(as_text=True)
    assert re.search(r'id="deal-amount">€240\.00<', page)  # 2 × 120.00
    assert "The sum of the product lines." in page
