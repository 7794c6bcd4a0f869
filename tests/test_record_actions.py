"""Modules' buttons on the core's record pages (``patron_record_actions``): present while the
module is on and the user may use them, absent otherwise; "New ticket" fills in the record."""

from __future__ import annotations

import html
import re

import pytest

from patron.testing.fixtures import PASSWORD


def links(page: str) -> dict[str, str]:
    """The module actions of a record page: label → URL."""
    found = re.findall(r'<a class="[^"]*" href="([^"]+)" data-module-action>([^<]+)</a>', page)
    return {label: html.unescape(url) for url, label in found}


@pytest.fixture
def records(auth, tenant, switch_module):
    """An account, its contact and a lead, made with the sales and service modules on."""
    api = auth.api(tenant)
    switch_module(api, "sales")
    switch_module(api, "service")
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    contact = api.post("/contacts", json={"last_name": "Gibbons",
                                          "account_id": account["id"]}).get_json()
    lead = api.post("/sales/leads", json={"last_name": "Lumbergh"}).get_json()
    return {"api": api, "account": account, "contact": contact, "lead": lead}


def test_enabled_modules_add_their_buttons(records, auth, tenant, client):
    auth.login(tenant)
    account, contact, lead = records["account"], records["contact"], records["lead"]
    on_account = links(client.get(f"/records/account/{account['id']}").get_data(as_text=True))
    assert on_account == {
        "New deal": f"/records/opportunity/new?account_id={account['id']}",
        "Give back to the pool": f"/sales/pool/{account['id']}/release",
        "New ticket": f"/records/ticket/new?account_id={account['id']}",
    }
    on_contact = links(client.get(f"/records/contact/{contact['id']}").get_data(as_text=True))
    assert on_contact == {"New ticket": f"/records/ticket/new?contact_id={contact['id']}"
                                        f"&account_id={account['id']}"}
    on_lead = links(client.get(f"/records/lead/{lead['id']}").get_data(as_text=True))
    assert on_lead == {"Convert": f"/sales/leads/{lead['id']}/convert"}
    assert client.get(on_lead["Convert"]).status_code == 200

    form = client.get(on_contact["New ticket"]).get_data(as_text=True)
    for name, record in (("account_id", account), ("contact_id", contact)):  # picked already
        assert re.search(rf'name="{name}" value="{record["id"]}"', form), record


def test_switched_off_modules_add_nothing(records, auth, tenant, client, switch_module):
    switch_module(records["api"], "service", enabled=False)
    auth.login(tenant)
    account_page = f"/records/account/{records['account']['id']}"
    assert set(links(client.get(account_page).get_data(as_text=True))) == {
        "New deal", "Give back to the pool"}
    switch_module(records["api"], "sales", enabled=False)
    assert links(client.get(account_page).get_data(as_text=True)) == {}
    contact_page = f"/records/contact/{records['contact']['id']}"
    assert links(client.get(contact_page).get_data(as_text=True)) == {}


def test_buttons_need_the_permission_behind_them(records, auth, tenant, client, make_user):
    make_user(tenant, role="read_only", email="reader@acme.test")
    auth.login(tenant, email="reader@acme.test", password=PASSWORD)
    page = client.get(f"/records/account/{records['account']['id']}")
    assert page.status_code == 200 and links(page.get_data(as_text=True)) == {}
