"""The quote editor through the test client: made from a deal, lines and terms edited with
the totals the server computes, approval above the tenant's threshold, sent, accepted into an
order, revised; refusals shown with nothing changed."""

from __future__ import annotations

import re

import pytest

from patron.testing.fixtures import csrf_token_from

HTMX = {"HX-Request": "true"}


@pytest.fixture
def deal(admin, account):
    """A deal of the admin's, in the tenant's currency."""
    return admin.post("/sales/opportunities", json={"name": "Office fit-out",
                                                    "account_id": account["id"]}).get_json()


@pytest.fixture
def products(admin):
    """Two products, one with a price in a price list the deal uses."""
    desk = admin.post("/products", json={"sku": "DESK", "name": "Desk",
                                         "list_price": "250"}).get_json()
    chair = admin.post("/products", json={"sku": "CHAIR", "name": "Chair",
                                          "list_price": "80"}).get_json()
    return desk, chair


@pytest.fixture
def token(auth, tenant, client):
    """The admin signed in on the client; a form token."""
    auth.login(tenant)
    return csrf_token_from(client.get("/sales/board").get_data(as_text=True))


def _totals(html: str) -> dict[str, str]:
    table = re.search(r'<table[^>]*id="quote-totals">(.*?)</table>', html, re.S).group(1)
    return dict(re.findall(r'data-total="(\w+)".*?<td class="text-end">([^<]+)</td>', table,
                           re.S))


def _new_quote(client, deal: dict, token: str) -> str:
    made = client.post(f"/sales/deals/{deal['id']}/quotes",
                       data={"csrf_token": token, "name": "Fit-out offer"})
    assert made.status_code == 302
    match = re.fullmatch(r"/sales/quotes/([0-9a-f-]{36})", made.headers["Location"])
    return match.group(1)


def test_a_quote_from_a_deal_to_an_order(admin, client, deal, products, token):
    desk, chair = products
    price_list = admin.post("/sales/price-lists", json={"name": "Trade"}).get_json()
    admin.post(f"/sales/price-lists/{price_list['id']}/items",
               json={"product_id": desk["id"], "unit_price": "200"})
    admin.patch(f"/sales/opportunities/{deal['id']}", json={"price_list_id": price_list["id"]})
    quote_id = _new_quote(client, deal, token)
    quote = admin.get(f"/sales/quotes/{quote_id}").get_json()
    assert (quote["opportunity_id"], quote["name"], quote["status"]) == (
        deal["id"], "Fit-out offer", "draft")
    base = f"/sales/quotes/{quote_id}"
    client.post(f"{base}/lines", headers=HTMX, data={
        "csrf_token": token, "product_id": desk["id"], "quantity": "2"})
    second = client.post(f"{base}/lines", headers=HTMX, data={
        "csrf_token": token, "product_id": chair["id"], "quantity": "4",
        "discount_percent": "12.5"})
    assert second.status_code == 200
    # 2 × 200 (the price list's) + 4 × 80 less 12.5 % = 400 + 280 = 680.
    assert _totals(second.get_data(as_text=True)) == {
        "subtotal": "$680.00", "discount": "−$0.00", "tax": "$0.00", "total": "$680.00"}
    version = admin.get(f"/sales/quotes/{quote_id}").get_json()["version"]
    terms = client.post(base, headers=HTMX, data={
        "csrf_token": token, "version": version, "name": "Fit-out offer",
        "discount_percent": "5", "tax_percent": "20", "valid_until": "2099-12-31"})
    assert terms.status_code == 200
    # 680 − 5 % (34) = 646; 20 % tax = 129.20; total 775.20.
    assert _totals(terms.get_data(as_text=True)) == {
        "subtotal": "$680.00", "discount": "−$34.00", "tax": "$129.20", "total": "$775.20"}
    assert admin.get(f"/sales/quotes/{quote_id}").get_json()["total"] == "775.2000"

    sent = client.post(f"{base}/send", data={"csrf_token": token})
    assert sent.status_code == 302 and sent.headers["Location"] == base
    page = client.get(base).get_data(as_text=True)
    assert "Quote sent." in page and 'id="quote-terms"' not in page  # no longer edited
    assert f"/sales/quotes/{quote_id}/print" in page
    accepted = client.post(f"{base}/accept", data={"csrf_token": token})
    assert accepted.status_code == 302
    order = admin.get(f"/sales/orders?quote_id={quote_id}").get_json()["items"][0]
    assert (order["total"], order["status"]) == ("775.2000", "open")
    page = client.get(base).get_data(as_text=True)
    assert re.search(r'id="quote-order">.*?\$775\.20', page, re.S)
    deal_page = client.get(f"/sales/deals/{deal['id']}").get_data(as_text=True)
    assert f'href="{base}"' in deal_page and "Fit-out offer" in deal_page
    assert admin.get(f"/sales/opportunities/{deal['id']}").get_json()["status"] == "won"

    # The contract starts from the order: customer, deal, value and currency filled in.
    offer = re.search(r'href="(/records/contract/new\?[^"]+)"', page).group(1)
    form = client.get(offer.replace("&amp;", "&")).get_data(as_text=True)
    for name, value in (("account_id", deal["account_id"]), ("opportunity_id", deal["id"]),
                        ("value", "775.2000"), ("order_id", order["id"])):
        assert re.search(rf'name="{name}"[^>]*value="{value}"', form), name
    made = admin.post("/sales/contracts", json={"name": "Fit-out", "order_id": order["id"]})
    assert made.status_code == 201, made.get_json()
    page = client.get(base).get_data(as_text=True)
    assert "Draw up the contract" not in page  # it is drawn up: the quote links to it
    assert f'/records/contract/{made.get_json()["id"]}' in page


def test_approval_above_the_threshold_is_shown_and_needed_before_sending(
        admin, client, deal, products, token, tenant, make_user):
    admin.patch("/sales/settings", json={"quote_discount_threshold": "10"})
    quote_id = _new_quote(client, deal, token)
    base = f"/sales/quotes/{quote_id}"
    client.post(f"{base}/lines", headers=HTMX, data={
        "csrf_token": token, "product_id": products[0]["id"], "quantity": "1",
        "discount_percent": "15"})
    page = client.get(base).get_data(as_text=True)
    notice = re.search(r'id="quote-approval">(.*?)</div>', page, re.S).group(1)
    assert "Needs approval before it can be sent." in notice and "10 %" in notice
    assert "not requested yet" in notice
    assert re.search(r'<button class="btn btn-primary" type="submit" disabled>Send</button>',
                     page)
    refused = client.post(f"{base}/send", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "approval" in re.search(r'id="form-errors">(.*?)</div>', refused.get_data(
        as_text=True), re.S).group(1)
    assert admin.get(f"/sales/quotes/{quote_id}").get_json()["status"] == "draft"
    # The admin has no manager to ask: refused with the service's reason.
    no_manager = client.post(f"{base}/approval", data={"csrf_token": token})
    assert no_manager.status_code == 409
    assert "no manager" in no_manager.get_data(as_text=True)


def test_refusals_on_the_editor_change_nothing(admin, client, deal, products, token):
    quote_id = _new_quote(client, deal, token)
    base = f"/sales/quotes/{quote_id}"
    bad = client.post(f"{base}/lines", headers=HTMX, data={
        "csrf_token": token, "product_id": products[0]["id"], "quantity": "lots"})
    assert bad.status_code == 422
    assert re.search(r'id="f-lines-new-quantity-error">Enter a number\.<',
                     bad.get_data(as_text=True))
    version = admin.get(f"/sales/quotes/{quote_id}").get_json()["version"]
    bad_tax = client.post(base, headers=HTMX, data={
        "csrf_token": token, "version": version, "name": "Fit-out offer",
        "tax_percent": "250"})
    assert bad_tax.status_code == 422
    assert re.search(r'id="f-quote-tax_percent-error">Must be between 0 and 100\.<',
                     bad_tax.get_data(as_text=True))
    empty = client.post(f"{base}/send", data={"csrf_token": token})
    assert empty.status_code == 422 and "Add at least one line" in empty.get_data(as_text=True)
    quote = admin.get(f"/sales/quotes/{quote_id}").get_json()
    assert (quote["status"], quote["tax_percent"], quote["subtotal"]) == (
        "draft", "0.00", "0.0000")

    line = admin.post(f"/sales/quotes/{quote_id}/lines", json={
        "product_id": products[0]["id"], "quantity": "1"}).get_json()
    client.post(f"{base}/send", data={"csrf_token": token})
    locked = client.post(f"{base}/lines/{line['id']}/delete", headers=HTMX,
                         data={"csrf_token": token})
    assert locked.status_code == 409 and "only drafts change" in locked.get_data(as_text=True)
    assert len(admin.get(f"/sales/quotes/{quote_id}/lines").get_json()["items"]) == 1
    revised = client.post(f"{base}/revise", data={"csrf_token": token})
    assert revised.status_code == 302 and revised.headers["Location"] != base
    page = client.get(revised.headers["Location"]).get_data(as_text=True)
    assert "Revision 2" in page and 'id="quote-terms"' in page
    assert re.search(r'id="quote-versions">.*?Fit-out offer.*?Fit-out offer', page, re.S)


def test_the_owners_manager_decides_on_the_editor(admin, auth, tenant, client, products,
                                                  make_user):
    east = admin.post("/departments", json={"name": "East"}).get_json()["id"]
    boss = make_user(tenant, "sales_manager", email="boss@acme.test", department_id=east)
    rep = make_user(tenant, "sales_rep", email="rep@acme.test", department_id=east)
    # Another manager of the department sees the quote but is not the one asked.
    make_user(tenant, "sales_manager", email="other-boss@acme.test", department_id=east)
    assert admin.patch(f"/users/{rep.user_id}",
                       json={"manager_id": boss.user_id}).status_code == 200
    admin.patch("/sales/settings", json={"quote_discount_threshold": "10"})
    account = rep.post("/accounts", json={"name": "Rep's account"}).get_json()
    deal = rep.post("/sales/opportunities", json={"name": "Rep's deal",
                                                  "account_id": account["id"]}).get_json()
    quote = rep.post("/sales/quotes", json={"name": "Deep discount",
                                            "opportunity_id": deal["id"]}).get_json()
    base = f"/sales/quotes/{quote['id']}"
    line = rep.post(f"{base}/lines", json={"product_id": products[0]["id"], "quantity": "1",
                                           "discount_percent": "15"})
    assert line.status_code == 201, line.get_json()
    assert rep.post(f"{base}/approval").status_code == 201

    auth.login(tenant, "other-boss@acme.test")  # a manager, not this one's approver: 404
    seen = client.get(base)
    assert seen.status_code == 200 and 'id="quote-decision"' not in seen.get_data(as_text=True)
    token = csrf_token_from(seen.get_data(as_text=True))
    assert client.post(f"{base}/approve", data={"csrf_token": token}).status_code == 404
    assert rep.get(f"/sales/approvals?quote_id={quote['id']}").status_code == 403

    auth.login(tenant, "boss@acme.test")
    page = client.get(base).get_data(as_text=True)
    assert 'id="quote-decision"' in page and "Your approval is asked" in page
    token = csrf_token_from(page)
    decided = client.post(f"{base}/approve", data={"csrf_token": token, "comment": "Fine once"})
    assert decided.status_code == 302
    approval = boss.get(f"/sales/approvals?quote_id={quote['id']}").get_json()["items"][0]
    assert (approval["status"], approval["comment"]) == ("approved", "Fine once")
    assert 'id="quote-decision"' not in client.get(base).get_data(as_text=True)
    assert rep.post(f"{base}/send").status_code == 200


def test_accepting_asks_for_the_orders_required_custom_fields(admin, client, deal, products,
                                                              token):
    made = admin.post("/custom-fields", json={"entity": "order", "name": "delivery_site",
                                              "label": "Delivery site", "type": "text",
                                              "required": True})
    assert made.status_code == 201, made.get_json()
    quote_id = _new_quote(client, deal, token)
    admin.post(f"/sales/quotes/{quote_id}/lines",
               json={"product_id": products[0]["id"], "quantity": "1"})
    admin.post(f"/sales/quotes/{quote_id}/send")
    page = client.get(f"/sales/quotes/{quote_id}").get_data(as_text=True)
    assert 'name="order.custom.delivery_site"' in page
    refused = client.post(f"/sales/quotes/{quote_id}/accept", data={"csrf_token": token})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="f-order-custom-delivery_site-error"' in html and "This field is required." in html
    assert admin.get(f"/sales/quotes/{quote_id}").get_json()["status"] == "sent"
    assert admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"] == []
    done = client.post(f"/sales/quotes/{quote_id}/accept",
                       data={"csrf_token": token, "order.custom.delivery_site": "Dock 4"})
    assert done.status_code == 302
    (order,) = admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"]
    assert order["custom"] == {"delivery_site": "Dock 4"}


def test_a_required_order_field_the_role_may_not_see_is_still_said(admin, auth, tenant, app,
                                                                   make_user, products):
    admin.post("/custom-fields", json={"entity": "order", "name": "delivery_site",
                                       "label": "Delivery site", "type": "text",
                                       "required": True})
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]
    admin.patch(f"/roles/{role['id']}", json={"field_access": {"order": {
        "custom.delivery_site": "hidden"}}})
    rep = make_user(tenant, role="sales_rep", email="rep@acme.test")
    account = rep.post("/accounts", json={"name": "Rep's customer"}).get_json()
    deal = rep.post("/sales/opportunities", json={"name": "Rep's deal",
                                                  "account_id": account["id"]}).get_json()
    quote = rep.post("/sales/quotes", json={"name": "Rep's offer",
                                            "opportunity_id": deal["id"]}).get_json()
    rep.post(f"/sales/quotes/{quote['id']}/lines",
             json={"product_id": products[0]["id"], "quantity": "1"})
    rep.post(f"/sales/quotes/{quote['id']}/send")
    browser = app.test_client()
    auth.login(tenant, email="rep@acme.test", client=browser)
    page = browser.get(f"/sales/quotes/{quote['id']}").get_data(as_text=True)
    assert 'name="order.custom.delivery_site"' not in page  # hidden from this role
    refused = browser.post(f"/sales/quotes/{quote['id']}/accept",
                           data={"csrf_token": csrf_token_from(page)})
    assert refused.status_code == 422
    assert "The order needs a value your role may not fill in" in refused.get_data(
        as_text=True)  # not a silent refusal
    assert rep.get(f"/sales/quotes/{quote['id']}").get_json()["status"] == "sent"
