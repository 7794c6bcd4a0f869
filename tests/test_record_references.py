"""Deleting a core record that modules' records still refer to: 409 naming them, nothing
deleted (``patron_record_references``), on the API and on the record page; a module that is
switched off is not asked, and its rows still block the deletion with a clear 409."""

from __future__ import annotations

import pytest

from patron.testing.fixtures import csrf_token_from

PROBLEM = "application/problem+json"


@pytest.fixture
def admin(auth, tenant, switch_module):
    """The tenant's admin over the API, with the sales and service modules on."""
    api = auth.api(tenant)
    switch_module(api, "sales")
    switch_module(api, "service")
    return api


def created(response) -> dict:
    """The record a ``POST`` created."""
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def refused(api, path: str) -> str:
    """``DELETE path`` must be a 409 problem; its detail."""
    response = api.delete(path)
    assert response.status_code == 409, response.get_json()
    assert response.mimetype == PROBLEM
    return response.get_json()["detail"]


def test_an_account_names_the_deals_quotes_and_tickets_that_refer_to_it(admin):
    account = created(admin.post("/accounts", json={"name": "Initech"}))
    for name in ("Fleet", "Lease"):
        created(admin.post("/sales/opportunities", json={"name": name,
                                                         "account_id": account["id"]}))
    created(admin.post("/sales/quotes", json={"name": "Offer", "account_id": account["id"]}))
    created(admin.post("/service/tickets", json={"subject": "Jam",
                                                 "account_id": account["id"]}))
    detail = refused(admin, f"/accounts/{account['id']}")
    assert detail.startswith("This record is still referenced by ")
    for named in ("2 opportunities", "1 quote", "1 ticket"):
        assert named in detail
    assert "order" not in detail and "contract" not in detail  # only what refers to it
    assert admin.get(f"/accounts/{account['id']}").status_code == 200


def test_a_contact_and_a_product_name_their_references(admin):
    contact = created(admin.post("/contacts", json={"last_name": "Gibbons"}))
    created(admin.post("/service/tickets", json={"subject": "Call", "contact_id": contact["id"]}))
    assert "referenced by 1 ticket;" in refused(admin, f"/contacts/{contact['id']}")

    account = created(admin.post("/accounts", json={"name": "Initrode"}))
    product = created(admin.post("/products", json={"name": "Stapler", "sku": "ST-1",
                                                    "list_price": "10"}))
    quote = created(admin.post("/sales/quotes", json={"name": "Q", "account_id": account["id"]}))
    for quantity in ("1", "2"):
        created(admin.post(f"/sales/quotes/{quote['id']}/lines",
                           json={"product_id": product["id"], "quantity": quantity}))
    order = created(admin.post("/service/work-orders", json={"title": "Fix"}))
    created(admin.post(f"/service/work-orders/{order['id']}/parts",
                       json={"product_id": product["id"], "quantity": "1"}))
    detail = refused(admin, f"/products/{product['id']}")
    assert "2 quote lines" in detail and "1 part used on work orders" in detail
    assert admin.get(f"/products/{product['id']}").status_code == 200


def test_a_record_nothing_refers_to_is_deleted(admin):
    account = created(admin.post("/accounts", json={"name": "Alone"}))
    assert admin.delete(f"/accounts/{account['id']}").status_code == 204


def test_a_switched_off_module_is_not_asked_but_its_rows_still_block(admin, switch_module):
    account = created(admin.post("/accounts", json={"name": "Initech"}))
    created(admin.post("/service/tickets", json={"subject": "Jam",
                                                 "account_id": account["id"]}))
    created(admin.post("/sales/opportunities", json={"name": "Fleet",
                                                     "account_id": account["id"]}))
    switch_module(admin, "service", enabled=False)
    assert "1 opportunity;" in refused(admin, f"/accounts/{account['id']}")
    switch_module(admin, "sales", enabled=False)
    detail = refused(admin, f"/accounts/{account['id']}")
    assert "still referenced by other records" in detail and "ticket" not in detail
    assert admin.get(f"/accounts/{account['id']}").status_code == 200
    switch_module(admin, "service")
    tickets = admin.get(f"/service/tickets?account_id={account['id']}").get_json()["items"]
    assert [t["subject"] for t in tickets] == ["Jam"]


def test_the_record_page_shows_the_same_refusal(admin, auth, tenant, client):
    account = created(admin.post("/accounts", json={"name": "Initech"}))
    created(admin.post("/sales/opportunities", json={"name": "Fleet",
                                                     "account_id": account["id"]}))
    auth.login(tenant)
    page = f"/records/account/{account['id']}"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    response = client.post(f"{page}/delete", data={"csrf_token": token}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.request.path == page
    assert "This record is still referenced by 1 opportunity; delete or move them first." in text
    assert admin.get(f"/accounts/{account['id']}").status_code == 200

    client.post("/language", data={"csrf_token": token, "locale": "zh_Hans"})
    response = client.post(f"{page}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "该记录仍被1 个商机引用" in response.get_data(as_text=True)
    assert "1 opportunity" in refused(admin, f"/accounts/{account['id']}")  # API: English
