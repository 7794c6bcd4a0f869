"""Record-level data scopes: own, own_and_reports, department, department_tree, all."""

from __future__ import annotations

import pytest

from patron.testing.route_walk import (
    enable_every_module,
    routes,
    seed_collections,
    seed_tenant,
    walk_items_owned_by,
)

MONDAY = {"mon": ["08:00", "17:00"]}


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


@pytest.fixture
def org(auth, tenant, make_user):
    """Sales (manager) → East (two reps, reporting to the manager) and West (one rep)."""
    admin = auth.api(tenant)
    sales = admin.post("/departments", json={"name": "Sales"}).get_json()["id"]
    east = admin.post("/departments", json={"name": "East", "parent_id": sales}).get_json()["id"]
    west = admin.post("/departments", json={"name": "West", "parent_id": sales}).get_json()["id"]
    service = admin.post("/departments", json={"name": "Service"}).get_json()["id"]
    manager = make_user(tenant, "sales_manager", department_id=sales)
    east1 = make_user(tenant, "sales_rep", department_id=east)
    east2 = make_user(tenant, "sales_rep", department_id=east)
    west1 = make_user(tenant, "sales_rep", department_id=west)
    outsider = make_user(tenant, "sales_rep", department_id=service)
    for rep in (east1, east2):
        admin.patch(f"/users/{rep.user_id}", json={"manager_id": manager.user_id})
    people = {"manager": manager, "east1": east1, "east2": east2, "west1": west1,
              "outsider": outsider, "admin": admin}
    for name, client in people.items():
        assert client.post("/accounts", json={"name": f"{name}'s account"}).status_code == 201
    return people | {"departments": {"sales": sales, "east": east, "west": west}}


def _visible(client) -> set[str]:
    return {a["name"].removesuffix("'s account") for a in
            client.get("/accounts?limit=200").get_json()["items"]}


def _set_scope(admin, role_key: str, scope: str) -> None:
    role = admin.get(f"/roles?key={role_key}").get_json()["items"][0]
    response = admin.patch(f"/roles/{role['id']}", json={"scopes": {"core.accounts": scope}})
    assert response.status_code == 200, response.get_json()


def test_rep_sees_only_own_records(org):
    assert _visible(org["east1"]) == {"east1"}
    assert _visible(org["west1"]) == {"west1"}


def test_manager_sees_department_tree_by_default(org):
    assert _visible(org["manager"]) == {"manager", "east1", "east2", "west1"}


def test_department_scope_is_the_users_own_department_only(org):
    _set_scope(org["admin"], "sales_rep", "department")
    assert _visible(org["east1"]) == {"east1", "east2"}
    assert _visible(org["west1"]) == {"west1"}


def test_own_and_reports_follows_the_reporting_line(org):
    _set_scope(org["admin"], "sales_manager", "own_and_reports")
    assert _visible(org["manager"]) == {"manager", "east1", "east2"}


def test_reporting_line_moves_with_its_subtree(org):
    admin = org["admin"]
    _set_scope(admin, "sales_rep", "own_and_reports")
    admin.patch(f"/users/{org['east2'].user_id}", json={"manager_id": org["east1"].user_id})
    assert _visible(org["east1"]) == {"east1", "east2"}
    refused = admin.patch(f"/users/{org['east1'].user_id}",
                          json={"manager_id": org["east2"].user_id})
    assert refused.status_code == 422 and "manager_id" in refused.get_json()["errors"]


def test_department_tree_follows_moved_departments(org):
    admin, deps = org["admin"], org["departments"]
    moved = admin.patch(f"/departments/{deps['west']}", json={"parent_id": None})
    assert moved.status_code == 200
    assert _visible(org["manager"]) == {"manager", "east1", "east2"}
    cycle = admin.patch(f"/departments/{deps['sales']}", json={"parent_id": deps["east"]})
    assert cycle.status_code == 422


def test_all_scope_sees_everything(org):
    assert _visible(org["admin"]) == {"manager", "east1", "east2", "west1", "outsider", "admin"}


def test_out_of_scope_records_answer_404_for_read_update_delete(org):
    theirs = org["east2"].get("/accounts").get_json()["items"][0]["id"]
    rep = org["east1"]
    assert rep.get(f"/accounts/{theirs}").status_code == 404
    assert rep.patch(f"/accounts/{theirs}", json={"name": "Mine now"}).status_code == 404
    assert rep.delete(f"/accounts/{theirs}").status_code == 403  # reps may not delete at all
    assert org["east2"].get(f"/accounts/{theirs}").get_json()["name"] == "east2's account"
    outsiders = org["outsider"].get("/accounts").get_json()["items"][0]["id"]
    assert org["manager"].delete(f"/accounts/{outsiders}").status_code == 404
    assert org["outsider"].get(f"/accounts/{outsiders}").status_code == 200


def test_missing_permission_is_403(org, make_user, tenant):
    reader = make_user(tenant, "read_only")
    assert reader.get("/accounts").status_code == 200
    assert reader.post("/accounts", json={"name": "Nope"}).status_code == 403


def test_scope_filters_are_set_based_sql(org, app):
    """The scope compiles to a subquery over users, never a list of record or user ids."""
    from patron.auth.models import User
    from patron.customers.models import Account
    from patron.rbac.scopes import DEPARTMENT_TREE, OWN_AND_REPORTS, scope_criteria

    user = User(id=None, report_path="/a/", department_id=None)
    sql = str(scope_criteria(Account.owner_id, user, OWN_AND_REPORTS))
    assert "SELECT users.id" in sql and "LIKE" in sql
    user.department_id = org["departments"]["sales"]
    sql = str(scope_criteria(Account.owner_id, user, DEPARTMENT_TREE))
    assert sql.count("SELECT") == 3 and "departments.path LIKE" in sql


def _give_a_ticket_and_a_work_order(admin, user_id: str) -> None:
    """Tickets and work orders belong to whoever works them: the admin assigns a ticket to
    the user and books them, as a technician, for a work order."""
    ticket = admin.post("/service/tickets", json={"subject": "Theirs", "assignee_id": user_id})
    assert ticket.status_code == 201, ticket.get_json()
    technician = admin.post("/service/technicians", json={
        "name": "Technician", "user_id": user_id, "working_hours": MONDAY}).get_json()
    order = admin.post("/service/work-orders", json={"title": "Theirs"}).get_json()
    booked = admin.post(f"/service/work-orders/{order['id']}/schedule", json={
        "technician_ids": [technician["id"]], "starts_at": "2030-01-07T09:00:00+00:00"})
    assert booked.status_code == 200, booked.get_json()


def test_every_owned_item_route_hides_records_outside_own_scope(app, auth, tenant, make_user):
    """Harness: a user holding every permission but only the ``own`` scope gets 404 on
    every item route of every owned resource — the core's and every installed module's,
    all enabled, nested routes with a real child of the record — for a record someone else
    owns, and on a nested route given a record of their own and someone else's child of
    one. Every collection of owned records is walked, with records the admin owns."""
    admin = auth.api(tenant)
    spec = admin.open("/api/v1/openapi.json").get_json()
    enable_every_module(admin)
    _give_a_ticket_and_a_work_order(admin, admin.user_id)
    records = seed_tenant(app, admin, spec)  # nested records under the admin's own
    role = admin.post("/roles", json={"key": "own_everything", "name": "Own everything",
                                      "permissions": ["*"], "default_scope": "own"}).get_json()
    limited = make_user(tenant, "own_everything")
    _give_a_ticket_and_a_work_order(admin, limited.user_id)
    account = limited.post("/accounts", json={"name": "Limited's"}).get_json()
    # A record of their own in every collection of owned records with nested ones.
    parents = {route.collections[0] for route in routes(app)
               if not route.is_page and len(route.collections) > 1
               and any("owner_id" in item for item in records.items(route.collections[0]))}
    made = seed_collections(app, limited, spec, {"account_id": account["id"]}, only=parents)
    assert made == parents
    context = {"role_id": role["id"], "account_id": records.items("/api/v1/accounts")[0]["id"]}
    checked = walk_items_owned_by(app, admin, limited, spec, context)
    owned = {"/api/v1/accounts", "/api/v1/activities", "/api/v1/contacts", "/api/v1/imports",
             *(f"/api/v1/sales/{name}" for name in ("contracts", "leads", "opportunities",
                                                    "orders", "pool", "quotas", "quotes")),
             "/api/v1/service/tickets", "/api/v1/service/work-orders"}
    # The partner's example plugin, once a test of the session has installed it.
    if "hello" in {module["name"] for module in admin.get("/modules").get_json()["items"]}:
        owned.add("/api/v1/hello/greetings")
    assert checked == owned
