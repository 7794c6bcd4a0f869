"""The account 360° page: key fields, contacts, timeline, files and the panels of the enabled
modules (drawn by a module's own template or generically), as the API's 360° view has them."""

from __future__ import annotations

import io
import re

import pytest


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("dossier")]


@pytest.fixture
def api(auth, tenant):
    api = auth.api(tenant)
    assert api.put("/modules/dossier", json={"enabled": True}).status_code == 200
    return api


def created(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def section(page: str, name: str) -> str:
    """The HTML of one section of the 360° page ('' when it is not there)."""
    match = re.search(rf'<section [^>]*id="{name}".*?</section>', page, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def acme(api) -> dict:
    """An account with a contact, an activity, a file and the dossier module on."""
    account = created(api.post("/accounts", json={"name": "Acme", "industry": "Anvils"}))
    doe = created(api.post("/contacts", json={"first_name": "Jane", "last_name": "Doe",
                                              "email": "jane@acme.test",
                                              "account_id": account["id"]}))
    created(api.post("/activities", json={"kind": "meeting", "subject": "Kick-off",
                                          "contact_id": doe["id"]}))
    created(api.post("/attachments", content_type="multipart/form-data", data={
        "parent_entity": "account", "parent_id": account["id"],
        "file": (io.BytesIO(b"terms"), "terms.txt")}))
    return account


def test_the_360_page_gathers_what_surrounds_the_account(auth, tenant, client, api, acme):
    auth.login(tenant)
    detail = client.get(f"/records/account/{acme['id']}").get_data(as_text=True)
    url = f"/records/account/{acme['id']}/360"
    assert f'href="{url}"' in detail
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Anvils" in section(page, "key-fields")
    contacts = section(page, "contacts")
    assert "Jane Doe" in contacts and "jane@acme.test" in contacts
    assert f"/records/contact/?account_id={acme['id']}" in contacts
    assert "Kick-off" in section(page, "timeline") and 'id="log-activity"' not in page
    files = section(page, "files")
    assert "terms.txt" in files and "/api/v1/attachments/" in files
    assert 'id="upload-file"' not in files
    # The module's own template, and the generic table for a list of objects.
    notes = section(page, "panel-dossier-notes")
    assert '<p class="dossier-headline">Notes on Acme: 2 (Acme)</p>' in notes
    ledger = section(page, "panel-dossier-ledger")
    assert re.findall(r"<th scope=\"col\">([^<]+)</th>", ledger) == ["Invoice", "Amount", "Paid"]
    assert "INV-2" in ledger and "80.50" in ledger and "Yes" in ledger
    summary = re.sub(r"\s+", " ", section(page, "panel-dossier-summary"))
    for shown in ('<dt class="col-sm-5">Open items</dt> <dd class="col-sm-7 text-break">3</dd>',
                  "key, late</dd>", "On hold</dt> <dd class=\"col-sm-7 text-break\">No</dd>",
                  "Since</dt> <dd class=\"col-sm-7 text-break\">—</dd>"):
        assert shown in summary, shown
    # The same records as the API's 360° view.
    view = api.get(f"/accounts/{acme['id']}/360").get_json()
    assert [p["key"] for p in view["panels"]] == ["dossier.notes", "dossier.ledger",
                                                  "dossier.summary"]
    assert all(a["subject"] in page for a in view["activities"]["items"])


def test_a_panel_is_hidden_without_its_permission(auth, tenant, client, api, make_user):
    rep = make_user(tenant, "sales_rep", email="rep@acme.test")  # notes: yes; ledger: no
    own = created(rep.post("/accounts", json={"name": "Rep's"}))
    auth.login(tenant, email="rep@acme.test")
    page = client.get(f"/records/account/{own['id']}/360").get_data(as_text=True)
    assert "Notes on Rep" in section(page, "panel-dossier-notes")
    assert 'id="panel-dossier-ledger"' not in page and "INV-1" not in page


def test_sections_need_their_permissions_and_disabled_modules_add_nothing(
        auth, tenant, client, api, acme, make_user):
    created(api.post("/roles", json={"key": "accounts_only", "name": "Accounts only",
                                     "permissions": ["core.accounts.read"],
                                     "default_scope": "all"}))
    make_user(tenant, "accounts_only", email="narrow@acme.test")
    auth.login(tenant, email="narrow@acme.test")
    page = client.get(f"/records/account/{acme['id']}/360").get_data(as_text=True)
    assert "Acme" in section(page, "key-fields")
    for hidden in ("contacts", "timeline", "files"):
        assert section(page, hidden) == "", hidden
    assert "Jane Doe" not in page and "Kick-off" not in page and "terms.txt" not in page
    assert api.put("/modules/dossier", json={"enabled": False}).status_code == 200
    auth.login(tenant)
    page = client.get(f"/records/account/{acme['id']}/360").get_data(as_text=True)
    assert "Jane Doe" in page and 'class="col-lg-6 panel"' not in page


def test_out_of_scope_and_other_tenants_accounts_are_404(
        auth, tenant, other_tenant, client, acme, make_user):
    make_user(tenant, "sales_rep", email="rep@acme.test")
    auth.login(tenant, email="rep@acme.test")
    assert client.get(f"/records/account/{acme['id']}/360").status_code == 404
    auth.login(other_tenant)
    response = client.get(f"/records/account/{acme['id']}/360")
    assert response.status_code == 404 and "Acme" not in response.get_data(as_text=True)
