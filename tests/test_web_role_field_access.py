"""Field-level security on the role page (``/admin/roles/<id>``): a select per field."""

from __future__ import annotations

import html

import pytest

from patron.customers.models import Account
from patron.customers.schemas import AccountSchema
from patron.records.spec import ResourceSpec
from patron.testing.fixtures import csrf_token_from


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    """A partner's module registering an entity of its own (``prospect``)."""
    return [fake_plugin("prospects")]


@pytest.fixture
def prospect_spec(monkeypatch):
    """A spec for the plugin's entity (it has none of its own), for this test only."""
    from patron import entities
    from patron.records import spec as specs

    monkeypatch.setitem(specs._SPECS, "prospect", ResourceSpec(
        name="prospects", model=Account, schema=AccountSchema, permission="core.accounts",
        event="account", entity="prospect"))
    monkeypatch.setitem(entities._SCHEMAS, "prospect", AccountSchema)


@pytest.fixture
def admin(auth, tenant, client):
    """The tenant's admin signed in, with a custom field ``margin`` on accounts; returns
    ``(client, csrf token, api client)``."""
    auth.login(tenant)
    api = auth.api(tenant)
    assert api.post("/custom-fields", json={"entity": "account", "name": "margin",
                                            "label": "Margin", "type": "number"}
                    ).status_code == 201
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client, token, api


def role_of(api, key: str) -> dict:
    return api.get(f"/roles?key={key}").get_json()["items"][0]


def role_form(role: dict, token: str, access: dict[str, str], **fields) -> dict:
    """What the role page posts: the role as it is, plus ``access`` (``entity.field`` →
    level) for the field selects (the other selects left at "editable")."""
    return {"csrf_token": token, "version": str(role["version"]), "name": role["name"],
            "description": role["description"], "default_scope": role["default_scope"],
            "permissions": role["permissions"],
            **{f"scope.{k}": v for k, v in role["scopes"].items()},
            "access.account.name": "",
            **{f"access.{name}": level for name, level in access.items()}, **fields}


def test_the_page_offers_every_field_of_every_entity(admin):
    client, _, api = admin
    text = client.get(f"/admin/roles/{role_of(api, 'sales_rep')['id']}").get_data(as_text=True)
    for name in ("access.account.phone", "access.account.custom.margin",
                 "access.contact.email", "access.product.list_price", "access.activity.subject"):
        assert f'name="{name}"' in text, name
    assert "<details" in text and ">Margin</label>" in text
    assert '<option value="hidden">Hidden</option>' in text


def test_plugin_entities_are_offered_and_saved(admin, prospect_spec):
    client, token, api = admin
    role = role_of(api, "marketer")
    text = client.get(f"/admin/roles/{role['id']}").get_data(as_text=True)
    assert 'name="access.prospect.phone"' in text and "Prospects" in text
    assert client.post(f"/admin/roles/{role['id']}", data=role_form(
        role, token, {"prospect.phone": "read_only"})).status_code == 302
    assert role_of(api, "marketer")["field_access"] == {"prospect": {"phone": "read_only"}}


def test_hiding_and_locking_fields_from_the_page(admin, tenant, make_user):
    client, token, api = admin
    role = role_of(api, "sales_rep")
    saved = client.post(f"/admin/roles/{role['id']}", data=role_form(role, token, {
        "account.phone": "hidden", "account.custom.margin": "hidden",
        "account.industry": "read_only"}))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    after = role_of(api, "sales_rep")
    assert after["field_access"] == {"account": {
        "phone": "hidden", "custom.margin": "hidden", "industry": "read_only"}}
    assert after["permissions"] == role["permissions"] and after["scopes"] == role["scopes"]

    rep = make_user(tenant, "sales_rep")
    account = rep.post("/accounts", json={"name": "Initech"}).get_json()
    api.patch(f"/accounts/{account['id']}", json={"phone": "+1 555 0100",
                                                  "custom": {"margin": 7}})
    read = rep.get(f"/accounts/{account['id']}").get_json()
    assert "phone" not in read and "margin" not in read["custom"]
    locked = rep.patch(f"/accounts/{account['id']}", json={"industry": "energy"})
    assert locked.status_code == 422
    assert locked.get_json()["errors"] == {"industry": ["You may not change this field."]}

    page = client.get(f"/admin/roles/{role['id']}").get_data(as_text=True)
    assert 'Restricted fields: 3' in page
    event = api.get(f"/audit-events?entity=role&record_id={role['id']}").get_json()["items"]
    latest = max(event, key=lambda e: e["occurred_at"])
    assert latest["interface"] == "web" and latest["actor_id"] == str(tenant.admin_id)
    assert latest["changes"]["field_access"] == [{}, after["field_access"]]


def test_setting_a_field_back_to_editable_removes_its_rule(admin):
    client, token, api = admin
    role = role_of(api, "marketer")
    api.patch(f"/roles/{role['id']}", json={"field_access": {"account": {"phone": "hidden"}}})
    role = role_of(api, "marketer")
    assert client.post(f"/admin/roles/{role['id']}", data=role_form(
        role, token, {"account.phone": ""})).status_code == 302
    assert role_of(api, "marketer")["field_access"] == {}


def test_a_form_without_field_selects_keeps_the_rules(admin):
    client, token, api = admin
    role = role_of(api, "marketer")
    api.patch(f"/roles/{role['id']}", json={"field_access": {"account": {"phone": "hidden"}}})
    role = role_of(api, "marketer")
    form = {k: v for k, v in role_form(role, token, {}).items() if not k.startswith("access.")}
    assert client.post(f"/admin/roles/{role['id']}", data=form).status_code == 302
    assert role_of(api, "marketer")["field_access"] == {"account": {"phone": "hidden"}}


def test_new_roles_take_field_access_too(admin):
    client, token, _ = admin
    created = client.post("/admin/roles/new", data={
        "csrf_token": token, "key": "temp", "name": "Temp", "default_scope": "own",
        "permissions": ["core.contacts.read"], "access.contact.email": "hidden",
        "access.contact.phone": ""})
    assert created.status_code == 302
    assert role_of(admin[2], "temp")["field_access"] == {"contact": {"email": "hidden"}}


@pytest.mark.parametrize("access, message", [
    ({"account.nonexistent": "hidden"}, "account: no field nonexistent"),
    ({"account.custom.nothing": "read_only"}, "account: no field custom.nothing"),
    ({"account.phone": "invisible"}, "Must be one of: hidden, read_only."),
])
def test_an_invalid_entry_is_shown_inline_and_changes_nothing(admin, access, message):
    client, token, api = admin
    role = role_of(api, "sales_rep")
    refused = client.post(f"/admin/roles/{role['id']}", data=role_form(
        role, token, {"account.phone": "hidden", **access}, name="Renamed rep"))
    assert refused.status_code == 422
    text = html.unescape(refused.get_data(as_text=True))
    errors = text.split('id="field-access-errors"', 1)[1].split("</div>\n", 1)[0]
    assert message in errors
    assert 'value="Renamed rep"' in text  # the form keeps what was typed
    assert role_of(api, "sales_rep") == role
