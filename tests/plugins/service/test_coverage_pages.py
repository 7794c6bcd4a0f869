"""Coverage on the pages: the ticket page says which contract covers the customer (or that
none does), and the new-ticket form asks ``/service/coverage`` for the chosen account and
product, which tells nothing about an account the user cannot read."""

from __future__ import annotations

import re
import uuid

import pytest

CONTRACTS = "/service/contracts"
COVERAGE = "/service/coverage"


@pytest.fixture
def gold(admin) -> dict:
    """An SLA tier."""
    return admin.post("/service/sla-policies", json={"name": "Gold"}).get_json()


def _contract(admin, account: dict, name: str, **fields) -> dict:
    response = admin.post(CONTRACTS, json={"name": name, "account_id": account["id"],
                                           "starts_on": "2020-01-01", "ends_on": "2099-03-15",
                                           **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _coverage_text(html: str) -> str | None:
    """The words of the coverage panel in a page or fragment, or ``None`` without one."""
    found = re.search(r'id="coverage"[^>]*>(.*?)</div>', html, re.S)
    return found and found.group(1).strip()


def test_the_ticket_page_says_which_contract_covers_the_customer(
        admin, auth, tenant, client, account, gold, new_ticket, make_user):
    _contract(admin, account, "Care <Plus>", sla_policy_id=gold["id"])
    covered = new_ticket(account_id=account["id"])
    uncovered = new_ticket()
    auth.login(tenant)
    page = client.get(f"/service/tickets/{covered['id']}").get_data(as_text=True)
    assert _coverage_text(page) == (
        "Covered by Care &lt;Plus&gt; until Mar 15, 2099, SLA tier Gold")
    page = client.get(f"/service/tickets/{uncovered['id']}").get_data(as_text=True)
    assert _coverage_text(page) == "Not covered"

    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/language", data={"csrf_token": token, "locale": "zh_Hans"})
    chinese = client.get(f"/service/tickets/{covered['id']}").get_data(as_text=True)
    assert _coverage_text(chinese).startswith("由 Care &lt;Plus&gt; 保障")
    assert _coverage_text(client.get(f"/service/tickets/{uncovered['id']}").get_data(
        as_text=True)) == "不在保障范围内"

    # A technician reads their ticket but not service contracts: covered, not by what.
    technician = make_user(tenant, "technician", email="tess@acme.test")
    theirs = new_ticket(account_id=account["id"], assignee_id=technician.user_id)
    auth.login(tenant, "tess@acme.test")
    page = client.get(f"/service/tickets/{theirs['id']}").get_data(as_text=True)
    assert _coverage_text(page) == "Covered"


def test_the_new_ticket_form_asks_for_the_coverage_of_the_chosen_customer(
        admin, auth, tenant, client, account, gold, switch_module):
    boiler = admin.post("/products", json={"sku": "B-1", "name": "Boiler"}).get_json()
    pump = admin.post("/products", json={"sku": "P-1", "name": "Pump"}).get_json()
    _contract(admin, account, "Boiler warranty", kind="warranty", product_id=boiler["id"],
              sla_policy_id=gold["id"])
    other = admin.post("/accounts", json={"name": "Initrode"}).get_json()
    _contract(admin, other, "Expired care", starts_on="2020-01-01", ends_on="2021-01-01")
    auth.login(tenant)

    form = client.get(f"/records/ticket/new?account_id={account['id']}").get_data(as_text=True)
    panel = re.search(r"<div [^>]*data-form-panel[^>]*>", form, re.S).group(0)
    assert f'hx-get="{COVERAGE}"' in panel
    assert 'hx-include="#f-account_id, #f-product_id"' in panel
    assert "change from:#f-account_id" in panel and "change from:#f-product_id" in panel
    assert "data-form-panel" not in client.get("/records/account/new").get_data(as_text=True)

    def coverage(account_id: str = "", product_id: str = "") -> str | None:
        response = client.get(f"{COVERAGE}?account_id={account_id}&product_id={product_id}")
        assert response.status_code == 200
        return _coverage_text(response.get_data(as_text=True))

    assert coverage(account["id"], boiler["id"]) == (
        "Covered by Boiler warranty until Mar 15, 2099, SLA tier Gold")
    assert coverage(account["id"], pump["id"]) == "Not covered"
    assert coverage(account["id"]) == "Not covered"
    _contract(admin, account, "All products")
    assert coverage(account["id"], pump["id"]) == "Covered by All products until Mar 15, 2099"
    assert coverage(other["id"]) == "Not covered"
    assert coverage() is None and coverage("nonsense") is None

    ticket = admin.post("/service/tickets", json={"subject": "Cold", "account_id": account["id"]})
    edit = client.get(f"/records/ticket/{ticket.get_json()['id']}/edit").get_data(as_text=True)
    assert f'hx-get="{COVERAGE}"' in edit

    switch_module(admin, "service", enabled=False)
    assert client.get(f"{COVERAGE}?account_id={account['id']}").status_code == 404


def test_the_coverage_of_an_account_out_of_scope_is_not_told(
        admin, auth, tenant, client, account, make_user):
    """A user who reads only their own accounts learns nothing of the others: the answer is
    the one for an account that does not exist."""
    admin.post("/roles", json={"key": "own_everything", "name": "Own everything",
                               "permissions": ["*"], "default_scope": "own"})
    limited = make_user(tenant, "own_everything", email="olga@acme.test")
    mine = limited.post("/accounts", json={"name": "Olga's"}).get_json()
    for covered in (account, mine):
        _contract(admin, covered, f"Care of {covered['name']}")
    auth.login(tenant, "olga@acme.test")

    def answer(account_id) -> tuple[int, str]:
        response = client.get(f"{COVERAGE}?account_id={account_id}")
        return response.status_code, response.get_data(as_text=True)

    assert answer(account["id"]) == answer(uuid.uuid4()) == answer("")
    assert "Initech" not in answer(account["id"])[1]
    assert _coverage_text(answer(mine["id"])[1]) == (
        "Covered by Care of Olga&#39;s until Mar 15, 2099")

    make_user(tenant, "sales_rep", email="sam@acme.test")  # no ticket permission
    auth.login(tenant, "sam@acme.test")
    assert client.get(f"{COVERAGE}?account_id={account['id']}").status_code == 403


def test_another_tenants_covered_account_is_not_told(admin, auth, tenant, other_tenant, client,
                                                     account, switch_module):
    """The coverage panel of another tenant's covered account answers as for no account."""
    neighbour = auth.api(other_tenant)
    switch_module(neighbour, "service")
    theirs = neighbour.post("/accounts", json={"name": "Globex"}).get_json()
    _contract(neighbour, theirs, "Globex care")
    auth.login(tenant)
    here = client.get(f"{COVERAGE}?account_id={theirs['id']}")
    assert here.status_code == 200
    assert here.get_data(as_text=True) == client.get(
        f"{COVERAGE}?account_id={uuid.uuid4()}").get_data(as_text=True)
    assert "Globex" not in here.get_data(as_text=True)
