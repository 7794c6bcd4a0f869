"""Record pages (``/records/<entity>/…``) through the Flask test client: forms, lists,
permissions, optimistic locking, CSRF, saved views and module gating."""

from __future__ import annotations

import re
import types
import uuid
from decimal import Decimal

import pytest

from patron.customers.models import Account
from patron.entities import Entity
from patron.plugins import ModuleInfo, hookimpl
from patron.records.spec import ResourceSpec
from patron.testing.fixtures import PASSWORD, csrf_token_from


def csrf(client) -> str:
    """The session's CSRF token (the kit's reader of the meta tag every page carries)."""
    return csrf_token_from(client.get("/login").get_data(as_text=True))


@pytest.fixture
def signed_in(auth, tenant, client):
    """The tenant's admin, signed in through the form; returns the test client."""
    auth.login(tenant)
    return client


@pytest.fixture
def custom_fields(auth, tenant):
    api = auth.api(tenant)
    for body in ({"name": "seats", "label": "Seats", "type": "number"},
                 {"name": "tier", "label": "Tier", "type": "select", "options": ["gold", "tin"]},
                 {"name": "renewal", "label": "Renewal", "type": "datetime"},
                 {"name": "vip", "label": "VIP", "type": "boolean"},
                 {"name": "tags", "label": "Tags", "type": "multi_select",
                  "options": ["a", "b"]}):
        assert api.post("/custom-fields", json={"entity": "account", **body}).status_code == 201
    api.patch("/tenant", json={"timezone": "Asia/Shanghai"})
    return api


def test_pages_need_a_signed_in_user(client):
    response = client.get("/records/account/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_entities_and_records_are_404(signed_in):
    assert signed_in.get("/records/nothing/").status_code == 404
    assert signed_in.get(f"/records/account/{uuid.uuid4()}").status_code == 404
    assert signed_in.get(f"/records/account/{uuid.uuid4()}/edit").status_code == 404


def test_create_converts_form_strings_to_the_schema_types(signed_in, custom_fields):
    page = signed_in.get("/records/account/new").get_data(as_text=True)
    assert 'name="custom.seats"' in page and 'type="datetime-local"' in page
    response = signed_in.post("/records/account/new", data={
        "csrf_token": csrf(signed_in), "name": "Initech", "kind": "company",
        "custom.seats": "12", "custom.tier": "gold", "custom.renewal": "2027-01-31T09:30",
        "custom.vip": "y", "custom.tags": ["a", "b"],
    })
    assert response.status_code == 302
    account = custom_fields.get("/accounts?name=Initech").get_json()["items"][0]
    assert account["custom"] == {"seats": 12, "tier": "gold", "vip": True, "tags": ["a", "b"],
                                 "renewal": "2027-01-31T09:30:00+08:00"}
    detail = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Initech" in detail and "Jan 31, 2027, 9:30:00" in detail and "gold" in detail


def test_validation_errors_are_shown_inline_and_the_input_is_kept(signed_in, custom_fields):
    response = signed_in.post("/records/account/new", data={
        "csrf_token": csrf(signed_in), "name": "", "domain": "kept.test",
        "custom.seats": "twelve", "custom.tier": "platinum"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-name"[^>]*>\s*<div class="invalid-feedback[^"]*" id="f-name-error">'
                     r"This field is required\.", page)
    assert "Enter a whole number." in page and 'value="twelve"' in page
    assert 'value="kept.test"' in page
    assert custom_fields.get("/accounts").get_json()["items"] == []
    # The schema's own refusals come back inline too.
    response = signed_in.post("/records/account/new", data={
        "csrf_token": csrf(signed_in), "name": "X", "custom.tier": "platinum"})
    assert response.status_code == 422 and "Must be one of" in response.get_data(as_text=True)


def test_edit_saves_and_a_stale_version_is_refused(signed_in, auth, tenant):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Before"}).get_json()
    url = f"/records/account/{account['id']}/edit"
    form = signed_in.get(url).get_data(as_text=True)
    assert 'name="version" value="1"' in form and 'value="Before"' in form
    token = csrf(signed_in)
    api.patch(f"/accounts/{account['id']}", json={"name": "Theirs"})
    stale = signed_in.post(url, data={"csrf_token": token, "version": "1", "name": "Mine"})
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.get_data(as_text=True)
    assert api.get(f"/accounts/{account['id']}").get_json()["name"] == "Theirs"
    saved = signed_in.post(url, data={"csrf_token": token, "version": "2", "name": "Mine",
                                      "domain": ""})
    assert saved.status_code == 302
    assert api.get(f"/accounts/{account['id']}").get_json()["name"] == "Mine"


def test_every_form_needs_the_csrf_token(signed_in, auth, tenant):
    account = auth.api(tenant).post("/accounts", json={"name": "Kept"}).get_json()
    for url in ("/records/account/new", f"/records/account/{account['id']}/edit",
                f"/records/account/{account['id']}/delete", "/records/account/views"):
        assert signed_in.post(url, data={"name": "Forged"}).status_code == 400, url
    assert auth.api(tenant).get(f"/accounts/{account['id']}").get_json()["name"] == "Kept"


def test_delete_asks_first_then_deletes(signed_in, auth, tenant):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Doomed"}).get_json()
    detail = signed_in.get(f"/records/account/{account['id']}").get_data(as_text=True)
    assert "This cannot be undone." in detail
    response = signed_in.post(f"/records/account/{account['id']}/delete",
                              data={"csrf_token": csrf(signed_in)})
    assert response.status_code == 302
    assert api.get(f"/accounts/{account['id']}").status_code == 404


def test_permissions_decide_pages_and_buttons(client, auth, tenant, make_user):
    admin = auth.api(tenant)
    account = admin.post("/accounts", json={"name": "Visible"}).get_json()
    reader = make_user(tenant, role="read_only", email="reader@acme.test")
    auth.login(tenant, email="reader@acme.test", password=PASSWORD)
    assert reader is not None
    detail = client.get(f"/records/account/{account['id']}").get_data(as_text=True)
    assert "Visible" in detail and "/edit" not in detail and "Yes, delete" not in detail
    assert "New Account" not in client.get("/records/account/").get_data(as_text=True)
    assert client.get("/records/account/new").status_code == 403
    assert client.get(f"/records/account/{account['id']}/edit").status_code == 403
    token = csrf(client)
    assert client.post("/records/account/new", data={"csrf_token": token,
                                                     "name": "No"}).status_code == 403
    assert client.post(f"/records/account/{account['id']}/delete",
                       data={"csrf_token": token}).status_code == 403


def test_data_scope_hides_other_peoples_records(client, auth, tenant, make_user):
    theirs = auth.api(tenant).post("/accounts", json={"name": "Admin's own"}).get_json()
    make_user(tenant, role="sales_rep", email="rep@acme.test")
    auth.login(tenant, email="rep@acme.test")
    assert "Admin&#39;s own" not in client.get("/records/account/").get_data(as_text=True)
    assert client.get(f"/records/account/{theirs['id']}").status_code == 404
    assert client.get(f"/records/account/{theirs['id']}/edit").status_code == 404


def test_another_tenants_record_is_404_on_every_page(signed_in, auth, other_tenant):
    account = auth.api(other_tenant).post("/accounts", json={"name": "Globex secret"}).get_json()
    token = csrf(signed_in)
    for url in (f"/records/account/{account['id']}", f"/records/account/{account['id']}/edit"):
        response = signed_in.get(url)
        assert response.status_code == 404 and "Globex secret" not in response.get_data(
            as_text=True)
    for url in (f"/records/account/{account['id']}/edit",
                f"/records/account/{account['id']}/delete"):
        assert signed_in.post(url, data={"csrf_token": token, "version": "1",
                                         "name": "Hijacked"}).status_code == 404
    assert auth.api(other_tenant).get(f"/accounts/{account['id']}").get_json()["name"] == (
        "Globex secret")


def names(page: str) -> list[str]:
    """The record titles linked from a list page's rows, in order."""
    return re.findall(r'<td class="text-nowrap"><a href="/records/[^"]+">([^<]+)</a>', page)


def test_list_filters_sorts_and_loads_more(signed_in, auth, tenant):
    api = auth.api(tenant)
    for number in range(55):
        api.post("/accounts", json={"name": f"Firm {number:02d}",
                                    "kind": "individual" if number % 5 == 0 else "company"})
    page = signed_in.get("/records/account/?sort=name").get_data(as_text=True)
    assert names(page) == [f"Firm {n:02d}" for n in range(50)]
    more = re.search(r'hx-get="([^"]+)" hx-target="#load-more"', page).group(1).replace(
        "&amp;", "&")
    rows = signed_in.get(more, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in rows and names(rows) == [f"Firm {n}" for n in range(50, 55)]
    assert "Load more" not in rows
    assert names(signed_in.get("/records/account/?sort=-name").get_data(as_text=True))[:2] == [
        "Firm 54", "Firm 53"]
    filtered = signed_in.get("/records/account/?kind=individual&name__contains=firm 1")
    assert names(filtered.get_data(as_text=True)) == ["Firm 15", "Firm 10"]  # newest first
    bad = signed_in.get("/records/account/?colour=red")
    assert bad.status_code == 422 and "colour: Unknown filter." in bad.get_data(as_text=True)


def test_date_filter_on_a_timestamp_uses_the_tenants_days(signed_in, auth, tenant):
    auth.api(tenant).post("/accounts", json={"name": "Today's"})
    response = signed_in.get("/records/account/?created_at__gte=2000-01-01"
                             "&created_at__lte=2999-12-31")
    assert response.status_code == 200 and "Today&#39;s" in response.get_data(as_text=True)
    bad = signed_in.get("/records/account/?created_at__gte=yesterday")
    assert bad.status_code == 422 and "Enter a date and time." in bad.get_data(as_text=True)


def test_saved_views_belong_to_their_user(signed_in, client, app, auth, tenant, make_user):
    auth.api(tenant).post("/accounts", json={"name": "Solo", "kind": "individual"})
    token = csrf(signed_in)
    response = signed_in.post("/records/account/views", data={
        "csrf_token": token, "name": "People", "query": "kind=individual&sort=name"})
    assert response.status_code == 302
    page = signed_in.get("/records/account/").get_data(as_text=True)
    view = re.search(r'href="(/records/account/\?kind=individual&amp;sort=name)">People<', page)
    assert view
    assert "Solo" in signed_in.get(view.group(1).replace("&amp;", "&")).get_data(as_text=True)
    view_id = re.search(r"/records/account/views/([0-9a-f-]+)/delete", page).group(1)
    other = app.test_client()
    make_user(tenant, role="admin", email="second@acme.test")
    auth.login(tenant, email="second@acme.test", client=other)
    assert ">People<" not in other.get("/records/account/").get_data(as_text=True)
    assert other.post(f"/records/account/views/{view_id}/delete",
                      data={"csrf_token": csrf(other)}).status_code == 404
    signed_in.post(f"/records/account/views/{view_id}/delete", data={"csrf_token": token})
    assert ">People<" not in signed_in.get("/records/account/").get_data(as_text=True)


def test_numbers_are_typed_as_people_write_them(signed_in, auth, tenant, custom_fields):
    token = csrf_token_from(signed_in.get("/records/product/new").get_data(as_text=True))
    made = signed_in.post("/records/product/new", data={
        "csrf_token": token, "sku": "W-2", "name": "Widget", "list_price": "48,000.50"})
    assert made.status_code == 302
    (product,) = auth.api(tenant).get("/products?sku=W-2").get_json()["items"]
    assert Decimal(product["list_price"]) == Decimal("48000.50")
    wrong = signed_in.post("/records/product/new", data={
        "csrf_token": token, "sku": "W-3", "name": "Gadget", "list_price": "4,8"})
    assert wrong.status_code == 422 and "Enter a number." in wrong.get_data(as_text=True)
    seats = signed_in.post("/records/account/new", data={
        "csrf_token": token, "name": "Seated", "custom.seats": "1,200"})
    assert seats.status_code == 302
    (account,) = auth.api(tenant).get("/accounts?q=Seated").get_json()["items"]
    assert account["custom"]["seats"] == 1200


def test_money_is_shown_in_its_currency(signed_in, auth, tenant):
    auth.api(tenant).post("/products", json={"sku": "W-1", "name": "Widget",
                                             "list_price": "1234.5", "currency": "EUR"})
    assert "€1,234.50" in signed_in.get("/records/product/").get_data(as_text=True)


THINGS = types.ModuleType("things")
THINGS.patron_module = ModuleInfo(name="things", label="Things")
THINGS.patron_register_entities = hookimpl(lambda: [
    Entity("thing", "Thing", Account, "core.accounts", module="things")])


@pytest.fixture
def patron_extra_plugins():
    """A module whose entity gets pages only for tenants that enabled it."""
    return [THINGS]


def test_a_disabled_modules_entity_has_no_pages(signed_in, auth, tenant, monkeypatch):
    from patron.customers.schemas import AccountSchema
    from patron.records import spec as specs

    monkeypatch.setitem(specs._SPECS, "thing", ResourceSpec(
        name="things", model=Account, schema=AccountSchema, permission="core.accounts",
        event="account", entity="thing"))
    assert signed_in.get("/records/thing/").status_code == 404
    assert auth.api(tenant).put("/modules/things", json={"enabled": True}).status_code == 200
    assert signed_in.get("/records/thing/").status_code == 200


def test_field_level_security_hides_and_locks_fields(client, auth, tenant, make_user):
    admin = auth.api(tenant)
    admin.post("/custom-fields", json={"entity": "account", "name": "margin",
                                       "label": "Margin", "type": "number"})
    role = admin.post("/roles", json={
        "key": "limited", "name": "Limited", "default_scope": "all",
        "permissions": ["core.accounts.read", "core.accounts.update"],
        "field_access": {"account": {"custom.margin": "hidden", "domain": "read_only"}},
    }).get_json()
    assert role.get("key") == "limited", role
    account = admin.post("/accounts", json={"name": "Acme", "domain": "acme.test",
                                            "custom": {"margin": 42}}).get_json()
    make_user(tenant, role="limited", email="limited@acme.test")
    auth.login(tenant, email="limited@acme.test")
    assert "Margin" not in client.get("/records/account/").get_data(as_text=True)
    detail = client.get(f"/records/account/{account['id']}").get_data(as_text=True)
    assert "Margin" not in detail and "acme.test" in detail
    form = client.get(f"/records/account/{account['id']}/edit").get_data(as_text=True)
    assert 'name="custom.margin"' not in form
    # The read-only domain is on the form, disabled, with its value (a browser sends nothing).
    assert re.search(r'<input[^>]*name="domain" value="acme.test"[^>]*disabled', form)
    saved = client.post(f"/records/account/{account['id']}/edit", data={
        "csrf_token": csrf(client), "version": str(account["version"]), "name": "Acme Ltd"})
    assert saved.status_code == 302
    after = admin.get(f"/accounts/{account['id']}").get_json()
    assert after["name"] == "Acme Ltd" and after["domain"] == "acme.test"
    assert after["custom"] == {"margin": 42}


def test_odd_query_parameters_are_refused_not_crashed_on(signed_in):
    for query in ("entity=contact", "_external=1", "sort=-nothing", "cursor=garbage"):
        response = signed_in.get(f"/records/account/?{query}")
        assert response.status_code == 422, query


def test_history_reads_in_words_references_by_name(signed_in, auth, tenant):
    api = auth.api(tenant)
    globex = api.post("/accounts", json={"name": "Globex", "kind": "company"}).get_json()
    api.patch(f"/accounts/{globex['id']}", json={"kind": "individual"})
    contact = api.post("/contacts", json={"last_name": "Lee"}).get_json()
    api.patch(f"/contacts/{contact['id']}", json={"account_id": globex["id"]})
    page = signed_in.get(f"/records/contact/{contact['id']}").get_data(as_text=True)
    history = page.split('id="record-history"', 1)[1]
    assert "<strong>Account</strong>: — → Globex" in history and globex["id"] not in history
    page = signed_in.get(f"/records/account/{globex['id']}").get_data(as_text=True)
    assert "<strong>Kind</strong>: Company → Individual" in page.split('id="record-history"')[1]
    audit = signed_in.get(f"/admin/audit?record_id={contact['id']}").get_data(as_text=True)
    assert "<strong>Account</strong>: — → Globex" in audit


def test_detail_page_shows_the_history_to_auditors_only(signed_in, auth, tenant, make_user):
    api = auth.api(tenant)
    record = api.post("/accounts", json={"name": "Chronicle"}).get_json()
    api.patch(f"/accounts/{record['id']}", json={"name": "Chronicle Ltd"})
    page = signed_in.get(f"/records/account/{record['id']}").get_data(as_text=True)
    history = page.split('id="record-history"', 1)[1]
    assert "Chronicle → Chronicle Ltd" in history and "Update" in history and "Create" in history
    rep = make_user(tenant, "sales_manager")
    mine = rep.post("/accounts", json={"name": "Managed"}).get_json()
    assert 'id="record-history"' not in rep.open(f"/records/account/{mine['id']}").get_data(
        as_text=True)
