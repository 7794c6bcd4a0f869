"""Orders are records people find: each carries the tenant's next number (SO-00001, …) however
it was made (entered, a won deal, an accepted quote), and has a list under Sales, a record
page, a search result and a place in pickers, by that number."""

from __future__ import annotations

from patron.testing.fixtures import make_tenant


def test_orders_are_numbered_per_tenant_and_found_by_number(app, admin, account, stages, auth,
                                                           switch_module, client, tenant):
    entered = admin.post("/sales/orders", json={"account_id": account["id"], "total": "90"})
    assert entered.status_code == 201, entered.get_json()
    deal = admin.post("/sales/opportunities", json={"name": "Won deal", "amount": "500",
                                                    "account_id": account["id"]}).get_json()
    admin.patch(f"/sales/opportunities/{deal['id']}", json={"stage_id": stages["Won"]["id"]})
    (won,) = admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"]
    assert [entered.get_json()["number"], won["number"]] == ["SO-00001", "SO-00002"]
    refused = admin.patch(f"/sales/orders/{won['id']}", json={"number": "SO-99999"})
    assert refused.status_code == 422
    neighbour = make_tenant(app, "globex")
    their_api = auth.api(neighbour)
    switch_module(their_api, "sales")
    their_account = their_api.post("/accounts", json={"name": "Globex"}).get_json()
    theirs = their_api.post("/sales/orders", json={"account_id": their_account["id"],
                                                   "total": "1"}).get_json()
    assert theirs["number"] == "SO-00001"

    auth.login(tenant)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/records/order/"' in home
    listing = client.get("/records/order/").get_data(as_text=True)
    assert f'href="/records/order/{won["id"]}">SO-00002</a>' in listing
    assert "SO-00002" in client.get("/search/?q=SO-00002").get_data(as_text=True)
    picked = client.get("/records/order/choices?q=SO-0000").get_data(as_text=True)
    assert "SO-00001" in picked and "SO-00002" in picked and theirs["id"] not in picked
    contract_form = client.get("/records/contract/new").get_data(as_text=True)
    assert 'hx-get="/records/order/choices"' in contract_form


def test_the_account_page_lists_its_orders(admin, account, auth, tenant, client):
    order = admin.post("/sales/orders", json={"account_id": account["id"],
                                              "total": "1380.5"}).get_json()
    auth.login(tenant)
    page = client.get(f"/records/account/{account['id']}/360").get_data(as_text=True)
    assert f'href="/records/order/{order["id"]}">{order["number"]}</a>' in page
    assert "$1,380.50" in page
    panels = admin.get(f"/accounts/{account['id']}/360").get_json()["panels"]
    orders = next(panel for panel in panels if panel["key"] == "sales.orders")
    assert (orders["data"]["count"], orders["data"]["items"][0]["number"]) == (1, "SO-00001")
