"""Users, roles, departments and tenant settings through the API."""

from __future__ import annotations


def _role(api, key):
    return api.get(f"/roles?key={key}").get_json()["items"][0]


def test_new_tenant_has_the_default_roles(auth, tenant):
    keys = {r["key"] for r in auth.api(tenant).get("/roles?limit=50").get_json()["items"]}
    assert keys == {"admin", "sales_manager", "sales_rep", "service_agent", "technician",
                    "marketer", "read_only"}


def test_default_roles_grant_what_the_design_says(auth, tenant):
    api = auth.api(tenant)
    assert _role(api, "admin")["permissions"] == ["*"]
    assert _role(api, "sales_manager")["scopes"]["core.accounts"] == "department_tree"
    assert _role(api, "sales_rep")["scopes"]["core.accounts"] == "own"
    read_only = _role(api, "read_only")["permissions"]
    assert read_only and all(p.endswith(".read") for p in read_only)


def test_roles_are_editable_and_validated(auth, tenant):
    api = auth.api(tenant)
    rep = _role(api, "sales_rep")
    changed = api.patch(f"/roles/{rep['id']}", json={"permissions": [*rep["permissions"],
                                                                      "core.accounts.delete"]})
    assert changed.status_code == 200
    bad = api.patch(f"/roles/{rep['id']}", json={"permissions": ["core.nothing.read"]})
    assert bad.status_code == 422 and "permissions" in bad.get_json()["errors"]
    bad = api.patch(f"/roles/{rep['id']}", json={"scopes": {"core.accounts": "galaxy"}})
    assert bad.status_code == 422 and "scopes" in bad.get_json()["errors"]
    admin = _role(api, "admin")
    assert api.patch(f"/roles/{admin['id']}", json={"permissions": []}).status_code == 422
    assert api.delete(f"/roles/{rep['id']}").status_code == 409


def test_custom_role_lifecycle(auth, tenant, make_user):
    api = auth.api(tenant)
    role = api.post("/roles", json={"key": "auditor", "name": "Auditor",
                                    "permissions": ["core.accounts.read"],
                                    "default_scope": "all"}).get_json()
    assert api.post("/roles", json={"key": "auditor", "name": "Again"}).status_code == 422
    user = make_user(tenant, "auditor")
    assert user.get("/accounts").status_code == 200
    assert user.post("/accounts", json={"name": "x"}).status_code == 403
    assert api.delete(f"/roles/{role['id']}").status_code == 409  # still assigned


def test_users_create_validate_and_deactivate(auth, tenant):
    api = auth.api(tenant)
    rep_role = _role(api, "sales_rep")["id"]
    created = api.post("/users", json={"email": "New.Person@Acme.test", "role_id": rep_role,
                                       "password": "long-enough-1"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["email"] == "new.person@acme.test" and "password" not in body
    assert api.post("/users", json={"email": "new.person@acme.test", "role_id": rep_role,
                                    "password": "long-enough-1"}).status_code == 422
    weak = api.post("/users", json={"email": "weak@acme.test", "role_id": rep_role,
                                    "password": "short"})
    assert weak.status_code == 422 and "password" in weak.get_json()["errors"]
    unknown_role = api.post("/users", json={"email": "x@acme.test",
                                            "role_id": "01890000-0000-7000-8000-000000000000"})
    assert unknown_role.status_code == 422 and "role_id" in unknown_role.get_json()["errors"]
    assert api.patch(f"/users/{body['id']}", json={"password": "x"}).status_code == 422
    assert api.delete(f"/users/{body['id']}").status_code == 405
    me = api.get("/me").get_json()["user"]["id"]
    refused = api.patch(f"/users/{me}", json={"is_active": False})
    assert refused.status_code == 422 and "is_active" in refused.get_json()["errors"]


def test_department_tree_paths_and_guarded_delete(auth, tenant, make_user):
    api = auth.api(tenant)
    root = api.post("/departments", json={"name": "HQ"}).get_json()
    child = api.post("/departments", json={"name": "Sales", "parent_id": root["id"]}).get_json()
    assert child["path"].startswith(root["path"]) and child["path"] != root["path"]
    assert api.delete(f"/departments/{root['id']}").status_code == 409
    make_user(tenant, "sales_rep", department_id=child["id"])
    assert api.delete(f"/departments/{child['id']}").status_code == 409
    orphan = api.post("/departments", json={"name": "X",
                                            "parent_id": "01890000-0000-7000-8000-000000000000"})
    assert orphan.status_code == 422


def test_tenant_settings(auth, tenant, make_user):
    api = auth.api(tenant)
    assert api.get("/tenant").get_json()["slug"] == "acme"
    changed = api.patch("/tenant", json={"timezone": "Asia/Shanghai", "currency": "CNY",
                                         "locale": "zh_Hans"})
    assert changed.status_code == 200 and changed.get_json()["timezone"] == "Asia/Shanghai"
    bad = api.patch("/tenant", json={"timezone": "Mars/Base", "slug": "other"})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"timezone", "slug"}
    assert make_user(tenant, "sales_rep").patch("/tenant", json={"name": "x"}).status_code == 403


def test_me_describes_the_caller(auth, tenant, make_user):
    rep = make_user(tenant, "sales_rep")
    me = rep.get("/me").get_json()
    assert me["tenant"]["slug"] == "acme" and me["user"]["id"] == rep.user_id
    assert "core.accounts.read" in me["permissions"] and me["scopes"]["core.accounts"] == "own"
    assert me["modules"] == []


def test_unauthenticated_api_is_401_problem(client):
    response = client.get("/api/v1/accounts")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
