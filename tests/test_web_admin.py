"""Tenant administration pages (``/admin/…``) through the Flask test client."""

from __future__ import annotations

import re

import pytest

from patron.testing.fixtures import PASSWORD, csrf_token_from


def csrf(client) -> str:
    """The session's CSRF token (the kit's reader of the meta tag every page carries)."""
    return csrf_token_from(client.get("/login").get_data(as_text=True))


@pytest.fixture
def admin(auth, tenant, client):
    """The tenant's admin signed in; returns ``(client, csrf token, api client)``."""
    auth.login(tenant)
    return client, csrf(client), auth.api(tenant)


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("gated"), fake_plugin("dependent")]


def role_id(api, key: str) -> str:
    return api.get(f"/roles?key={key}").get_json()["items"][0]["id"]


def test_admin_menu_and_sections_follow_permissions(client, auth, tenant, make_user):
    auth.login(tenant)
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
    rep = auth.app.test_client()
    make_user(tenant, role="sales_rep", email="rep@acme.test")
    auth.login(tenant, email="rep@acme.test", client=rep)
    home = rep.get("/").get_data(as_text=True)
    assert 'href="/admin/"' not in home and 'href="/records/account/"' in home
    for url in ("/admin/roles", "/admin/modules", "/admin/roles/new"):
        assert rep.get(url).status_code == 403, url
    assert rep.get("/admin/tokens").status_code == 200
    users = rep.get("/admin/users").get_data(as_text=True)
    assert "Invite a colleague" not in users  # reps read the directory, nothing more
    assert rep.post("/admin/users", data={"csrf_token": csrf(rep), "email": "x@acme.test",
                                          "password": PASSWORD}).status_code == 403


def test_invite_deactivate_reactivate_and_change_role(admin, app, auth, tenant):
    client, token, api = admin
    missing = client.post("/admin/users", data={"csrf_token": token, "name": "New Person",
                                                "role_id": role_id(api, "sales_rep")})
    assert missing.status_code == 422
    assert re.search(r'id="f-email-error">This field is required',
                     missing.get_data(as_text=True))
    assert 'value="New Person"' in missing.get_data(as_text=True)
    invited = client.post("/admin/users", data={
        "csrf_token": token, "email": "new@acme.test", "name": "New Person",
        "password": "a-long-password", "role_id": role_id(api, "sales_rep")})
    assert invited.status_code == 302
    user = api.get("/users?email=new@acme.test").get_json()["items"][0]
    assert user["role_id"] == role_id(api, "sales_rep")
    assert auth.login(tenant, email="new@acme.test", password="a-long-password",
                      client=app.test_client()).status_code == 302
    edit = f"/admin/users/{user['id']}"
    assert client.post(edit, data={"csrf_token": token, "version": str(user["version"]),
                                   "name": "Renamed", "role_id": role_id(api, "marketer")}
                       ).status_code == 302
    changed = api.get(f"/users/{user['id']}").get_json()
    assert changed["name"] == "Renamed" and changed["role_id"] == role_id(api, "marketer")
    client.post(f"{edit}/active", data={"csrf_token": token, "active": "false"})
    assert api.get(f"/users/{user['id']}").get_json()["is_active"] is False
    assert auth.login(tenant, email="new@acme.test", password="a-long-password",
                      client=app.test_client()).status_code == 401


def test_reactivate(admin, make_user, tenant):
    client, token, api = admin
    make_user(tenant, role="sales_rep", email="back@acme.test")
    user = api.get("/users?email=back@acme.test").get_json()["items"][0]
    client.post(f"/admin/users/{user['id']}/active", data={"csrf_token": token, "active": "false"})
    client.post(f"/admin/users/{user['id']}/active", data={"csrf_token": token, "active": "true"})
    assert api.get(f"/users/{user['id']}").get_json()["is_active"] is True


def test_admins_cannot_deactivate_themselves(admin, tenant):
    client, token, api = admin
    response = client.post(f"/admin/users/{tenant.admin_id}/active",
                           data={"csrf_token": token, "active": "false"}, follow_redirects=True)
    assert "You cannot deactivate yourself." in response.get_data(as_text=True)
    assert api.get(f"/users/{tenant.admin_id}").get_json()["is_active"] is True


def test_roles_permissions_and_scopes_are_saved(admin):
    client, token, api = admin
    page = client.get("/admin/roles/new").get_data(as_text=True)
    assert 'value="core.accounts.read"' in page and 'name="scope.core.accounts"' in page
    created = client.post("/admin/roles/new", data={
        "csrf_token": token, "key": "field_sales", "name": "Field sales",
        "permissions": ["core.accounts.read", "core.accounts.update", "gated.*"],
        "scope.core.accounts": "department_tree", "default_scope": "own"})
    assert created.status_code == 302
    role = api.get("/roles?key=field_sales").get_json()["items"][0]
    assert role["permissions"] == ["core.accounts.read", "core.accounts.update", "gated.*"]
    assert role["scopes"] == {"core.accounts": "department_tree"}
    taken = client.post("/admin/roles/new", data={"csrf_token": token, "key": "field_sales",
                                                  "name": "Again"})
    assert taken.status_code == 422 and "a role with this key already exists" in (
        taken.get_data(as_text=True))
    # The admin role's permissions are not on the form, so saving it keeps "*".
    admin_role = api.get("/roles?key=admin").get_json()["items"][0]
    assert client.post(f"/admin/roles/{admin_role['id']}", data={
        "csrf_token": token, "version": str(admin_role["version"]), "name": "Boss",
        "default_scope": "all"}).status_code == 302
    assert api.get(f"/roles/{admin_role['id']}").get_json()["permissions"] == ["*"]
    refused = client.post(f"/admin/roles/{admin_role['id']}/delete",
                          data={"csrf_token": token}, follow_redirects=True)
    assert "default roles cannot be deleted" in refused.get_data(as_text=True)


def test_department_tree_create_rename_move(admin):
    client, token, api = admin
    for name, parent in (("Sales", ""), ("North", ""), ("Service", "")):
        client.post("/admin/departments", data={"csrf_token": token, "name": name,
                                                 "parent_id": parent})
    departments = {d["name"]: d for d in api.get("/departments").get_json()["items"]}
    north, sales = departments["North"], departments["Sales"]
    moved = client.post(f"/admin/departments/{north['id']}", data={
        "csrf_token": token, "version": str(north["version"]), "name": "Sales North",
        "parent_id": sales["id"]})
    assert moved.status_code == 302
    north = api.get(f"/departments/{north['id']}").get_json()
    assert north["name"] == "Sales North" and north["parent_id"] == sales["id"]
    below_itself = client.post(f"/admin/departments/{sales['id']}", data={
        "csrf_token": token, "version": str(sales["version"]), "name": "Sales",
        "parent_id": north["id"]})
    assert below_itself.status_code == 422
    assert "a department cannot move below itself" in below_itself.get_data(as_text=True)
    tree = client.get("/admin/departments").get_data(as_text=True)
    assert tree.index("Sales North") > tree.index(">Sales<")
    refused = client.post(f"/admin/departments/{sales['id']}/delete",
                          data={"csrf_token": token}, follow_redirects=True)
    assert "the department has sub-departments" in refused.get_data(as_text=True)


def test_modules_switch_and_refusals_are_shown(admin):
    client, token, api = admin
    refused = client.post("/admin/modules/dependent", data={"csrf_token": token,
                                                            "enabled": "on"},
                          follow_redirects=True)
    assert "needs gated enabled first" in refused.get_data(as_text=True)
    client.post("/admin/modules/gated", data={"csrf_token": token, "enabled": "on"})
    assert 'href="/gated/"' in client.get("/").get_data(as_text=True)
    client.post("/admin/modules/gated", data={"csrf_token": token})
    assert 'href="/gated/"' not in client.get("/").get_data(as_text=True)
    assert client.get("/gated/").status_code == 404
    assert client.post("/admin/modules/nothing", data={"csrf_token": token}).status_code == 404


def test_custom_fields_create_relabel_reorder_and_confirmed_delete(admin):
    client, token, api = admin
    for label, name in (("Tier", "tier"), ("Seats", "seats")):
        response = client.post("/admin/custom-fields?entity=account", data={
            "csrf_token": token, "label": label, "name": name,
            "type": "select" if name == "tier" else "number", "options": "gold\nsilver"
            if name == "tier" else ""})
        assert response.status_code == 302, response.get_data(as_text=True)
    bad = client.post("/admin/custom-fields?entity=account", data={
        "csrf_token": token, "label": "Bad", "name": "Bad Name", "type": "text"})
    assert bad.status_code == 422 and "Use a lower-case letter" in bad.get_data(as_text=True)
    fields = {f["name"]: f for f in api.get("/custom-fields").get_json()["items"]}
    assert fields["tier"]["options"] == ["gold", "silver"]
    client.post(f"/admin/custom-fields/{fields['seats']['id']}/move",
                data={"csrf_token": token, "to": "up"})
    ordered = api.get("/custom-fields?sort=position").get_json()["items"]
    assert [f["name"] for f in ordered] == ["seats", "tier"]
    stale = client.post(f"/admin/custom-fields/{fields['tier']['id']}", data={
        "csrf_token": token, "version": str(fields["tier"]["version"]), "label": "Level"})
    assert stale.status_code == 409  # moving it changed its position (and version)
    client.post(f"/admin/custom-fields/{fields['tier']['id']}", data={
        "csrf_token": token, "version": str(ordered[1]["version"]), "label": "Level"})
    assert api.get(f"/custom-fields/{fields['tier']['id']}").get_json()["label"] == "Level"
    api.post("/accounts", json={"name": "Holder", "custom": {"tier": "gold"}})
    confirm = client.get(f"/admin/custom-fields/{fields['tier']['id']}/delete")
    assert "1 record loses its value in this field." in confirm.get_data(as_text=True)
    unconfirmed = client.post(f"/admin/custom-fields/{fields['tier']['id']}/delete",
                              data={"csrf_token": token})
    assert unconfirmed.status_code == 302
    assert api.get(f"/custom-fields/{fields['tier']['id']}").status_code == 200
    client.post(f"/admin/custom-fields/{fields['tier']['id']}/delete?confirm=true",
                data={"csrf_token": token})
    assert api.get(f"/custom-fields/{fields['tier']['id']}").status_code == 404
    assert api.get("/accounts").get_json()["items"][0]["custom"] == {}


def test_tokens_are_shown_once_and_can_be_revoked(admin, app):
    client, token, api = admin
    created = client.post("/admin/tokens", data={"csrf_token": token, "name": "script"})
    secret = re.search(r'readonly value="([^"]+)"', created.get_data(as_text=True)).group(1)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200
    listed = client.get("/admin/tokens").get_data(as_text=True)
    assert secret not in listed and "script" in listed
    token_id = re.search(r"/admin/tokens/([0-9a-f-]+)/revoke", listed).group(1)
    client.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    unnamed = client.post("/admin/tokens", data={"csrf_token": token, "name": ""})
    assert unnamed.status_code == 422


def test_admin_forms_need_the_csrf_token(admin, tenant):
    client, _, api = admin
    for url in ("/admin/users", "/admin/roles/new", "/admin/departments", "/admin/modules/gated",
                "/admin/custom-fields", "/admin/tokens",
                f"/admin/users/{tenant.admin_id}/active"):
        assert client.post(url, data={"name": "Forged", "active": "false"}).status_code == 400
    assert api.get(f"/users/{tenant.admin_id}").get_json()["is_active"] is True


def test_a_custom_fields_rules_and_options_change_on_its_edit_page(admin, app):
    client, token, api = admin
    field = api.post("/custom-fields", json={
        "entity": "account", "name": "tier", "label": "Tier", "type": "select",
        "options": ["Gold", "Silver", "Bronze"]}).get_json()
    account = api.post("/accounts", json={"name": "Initech",
                                          "custom": {"tier": "Bronze"}}).get_json()
    page = f"/admin/custom-fields/{field['id']}/edit"
    assert f'href="{page}"' in client.get("/admin/custom-fields?entity=account").get_data(
        as_text=True)
    form = client.get(page).get_data(as_text=True)
    assert 'name="options"' in form and 'name="required"' in form
    assert re.search(r'<select[^>]*name="default"', form)  # a default of the field's kind
    refused = client.post(page, data={"csrf_token": token, "version": "1", "label": "Tier",
                                      "default": "Platinum", "options": "Gold\nSilver"})
    assert refused.status_code == 422
    assert api.get(f"/custom-fields/{field['id']}").get_json()["options"] == [
        "Gold", "Silver", "Bronze"]
    saved = client.post(page, data={"csrf_token": token, "version": "1", "label": "Level",
                                    "required": "y", "default": "Silver",
                                    "options": "Gold\nSilver"})
    assert saved.status_code == 302
    after = api.get(f"/custom-fields/{field['id']}").get_json()
    assert (after["label"], after["required"], after["default"], after["options"]) == (
        "Level", True, "Silver", ["Gold", "Silver"])
    shown = client.get(f"/records/account/{account['id']}").get_data(as_text=True)
    assert "Bronze (no longer offered)" in shown
    assert api.get(f"/accounts/{account['id']}").get_json()["custom"]["tier"] == "Bronze"
