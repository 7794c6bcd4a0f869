"""Bulk actions on a list: the selection posted from the list page, run as a background job
that checks each record's scope when it reaches it, and reports every refused record."""

from __future__ import annotations

import csv
import io
import re

import pytest

from patron.bulk.runner import run_queued_bulk_jobs
from patron.db import db, tenant_context
from patron.testing.fixtures import csrf_token_from


def csrf(client) -> str:
    return csrf_token_from(client.get("/login").get_data(as_text=True))


def work(app, tenant, batch_size: int = 200) -> None:
    """Run the tenant's queued bulk jobs, as the worker's ``core.bulk`` job does."""
    with app.app_context(), tenant_context(tenant.id):
        run_queued_bulk_jobs(batch_size)
        db.session.remove()


def apply(client, entity: str, action: str, value=None, ids=(), **form):
    data = {"csrf_token": csrf(client), "action": action, "ids": [str(i) for i in ids],
            **form}
    if value is not None:
        data[f"value.{action}"] = value
    return client.post(f"/records/{entity}/bulk", data=data)


@pytest.fixture
def org(auth, tenant, make_user):
    """A sales department with an east team, and a service department outside it."""
    admin = auth.api(tenant)
    sales = admin.post("/departments", json={"name": "Sales"}).get_json()["id"]
    east = admin.post("/departments", json={"name": "East", "parent_id": sales}).get_json()
    service = admin.post("/departments", json={"name": "Service"}).get_json()["id"]
    make_user(tenant, "sales_manager", email="maria@acme.test", department_id=sales)
    rep = make_user(tenant, "sales_rep", email="erik@acme.test", department_id=east["id"])
    other = make_user(tenant, "sales_rep", email="olga@acme.test", department_id=service)
    users = {u["email"]: u["id"] for u in admin.get("/users?limit=100").get_json()["items"]}
    return {"admin": admin, "rep": rep, "other": other, "users": users}


def test_owner_change_refuses_and_reports_a_record_outside_the_scope(app, auth, tenant, client,
                                                                      org):
    erik, olga = org["users"]["erik@acme.test"], org["users"]["olga@acme.test"]
    mine = [org["rep"].post("/accounts", json={"name": f"East {n}"}).get_json()["id"]
            for n in range(3)]
    hers = org["other"].post("/accounts", json={"name": "Olga's secret"}).get_json()["id"]
    auth.login(tenant, "maria@acme.test")
    listed = client.get("/records/account/").get_data(as_text=True)
    assert 'name="ids"' in listed and 'value="set:owner_id"' in listed
    # The selection was made when all four were in her scope; Olga's has left it since.
    answer = apply(client, "account", "set:owner_id", org["users"]["maria@acme.test"],
                   [*mine, hers])
    assert answer.status_code == 302
    job_url = answer.headers["Location"]
    queued = client.get(job_url).get_data(as_text=True)
    assert "Waiting for the worker" in queued and 'hx-trigger="every 1s"' in queued

    work(app, tenant, batch_size=2)
    page = client.get(job_url).get_data(as_text=True)
    assert "3 changed, 1 refused." in page
    refused = page[page.index('id="bulk-refused"'):]
    assert "A record you can no longer see" in refused and "Olga" not in refused
    assert "no longer in your data scope" in refused
    maria = auth.api(tenant, "maria@acme.test")
    [told] = maria.get("/me/notifications").get_json()["items"]
    assert told["text"] == "Your bulk action has finished: 3 changed, 1 refused."
    assert told["link"] == job_url
    results = client.get(job_url + "/results.csv")
    rows = list(csv.DictReader(io.StringIO(results.get_data(as_text=True))))
    assert sorted((row["record"], row["outcome"]) for row in rows) == [
        ("", "refused"), *((f"East {n}", "changed") for n in range(3))]
    admin = org["admin"]
    owners = {a["name"]: a["owner_id"] for a in admin.get("/accounts").get_json()["items"]}
    assert all(owners[f"East {n}"] == org["users"]["maria@acme.test"] for n in range(3))
    assert owners["Olga's secret"] == olga and erik not in owners.values()
    audit = admin.get(f"/audit-events?record_id={mine[0]}&action=update").get_json()["items"]
    assert [(a["interface"], a["actor_id"]) for a in audit] == [
        ("web", org["users"]["maria@acme.test"])]
    assert audit[0]["changes"]["owner_id"] == [erik, org["users"]["maria@acme.test"]]
    assert audit[0]["changes"]["owner_id"] == [erik, org["users"]["maria@acme.test"]]


def test_every_record_matching_the_filters(app, auth, tenant, client):
    admin = auth.api(tenant)
    for n in range(5):
        admin.post("/accounts", json={"name": f"Lead {n}", "status": "prospect"})
    admin.post("/accounts", json={"name": "Customer", "status": "active"})
    auth.login(tenant)
    answer = apply(client, "account", "set:status", "active", selection="all",
                   query="status=prospect&columns=name")
    work(app, tenant)
    assert "5 changed, 0 refused." in client.get(answer.headers["Location"]).get_data(as_text=True)
    statuses = [a["status"] for a in admin.get("/accounts").get_json()["items"]]
    assert statuses == ["active"] * 6


def test_adding_a_tag_keeps_the_values_there(app, auth, tenant, client):
    admin = auth.api(tenant)
    admin.post("/custom-fields", json={"entity": "account", "name": "tags", "label": "Tags",
                                       "type": "multi_select",
                                       "options": ["vip", "partner", "churn risk"]})
    one = admin.post("/accounts", json={"name": "One", "custom": {"tags": ["partner"]}})
    two = admin.post("/accounts", json={"name": "Two", "custom": {"tags": ["vip"]}})
    auth.login(tenant)
    assert "Add to Tags" in client.get("/records/account/").get_data(as_text=True)
    apply(client, "account", "add:custom.tags", "vip", [one.get_json()["id"],
                                                        two.get_json()["id"]])
    work(app, tenant)
    tags = {a["name"]: a["custom"]["tags"] for a in admin.get("/accounts").get_json()["items"]}
    assert tags == {"One": ["partner", "vip"], "Two": ["vip"]}


def test_deleting_asks_first_and_keeps_what_others_refer_to(app, auth, tenant, client):
    admin = auth.api(tenant)
    free = admin.post("/accounts", json={"name": "Free"}).get_json()["id"]
    held = admin.post("/accounts", json={"name": "Held"}).get_json()["id"]
    admin.post("/contacts", json={"first_name": "Ada", "last_name": "L", "account_id": held})
    auth.login(tenant)
    asked = apply(client, "account", "delete", ids=[free, held])
    assert asked.status_code == 200 and "Delete 2 records?" in asked.get_data(as_text=True)
    assert len(admin.get("/accounts").get_json()["items"]) == 2
    answer = apply(client, "account", "delete", ids=[free, held], confirmed="yes")
    work(app, tenant)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "1 changed, 1 refused." in page and ">Held</a>" in page
    assert [a["name"] for a in admin.get("/accounts").get_json()["items"]] == ["Held"]


def test_exporting_the_selection(auth, tenant, client):
    admin = auth.api(tenant)
    ids = [admin.post("/accounts", json={"name": name}).get_json()["id"]
           for name in ("Alpha", "Beta", "Gamma")]
    auth.login(tenant)
    answer = apply(client, "account", "export", ids=ids[:2])
    assert answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert sorted(row["name"] for row in rows) == ["Alpha", "Beta"]


def test_bad_values_and_actions_change_nothing(app, auth, tenant, client, make_user):
    admin = auth.api(tenant)
    account = admin.post("/accounts", json={"name": "Steady", "status": "prospect"}
                         ).get_json()["id"]
    auth.login(tenant)
    answer = apply(client, "account", "set:status", "bogus", [account])
    assert answer.status_code == 302 and "/bulk/" not in answer.headers["Location"]
    assert "Must be one of" in client.get(answer.headers["Location"]).get_data(as_text=True)
    answer = apply(client, "account", "set:status", "active", [])
    assert "Select at least one record" in client.get(
        answer.headers["Location"]).get_data(as_text=True)

    make_user(tenant, "read_only", email="reader@acme.test")
    auth.login(tenant, "reader@acme.test")
    listed = client.get("/records/account/").get_data(as_text=True)
    assert re.findall(r'<option value="([^"]+)"', listed[listed.index('id="bulk-action"'):]
                      .split("</select>")[0]) == ["export"]
    refused = apply(client, "account", "set:status", "active", [account])
    assert "Choose an action you may apply" in client.get(
        refused.headers["Location"]).get_data(as_text=True)
    work(app, tenant)  # nothing was queued
    assert admin.get(f"/accounts/{account}").get_json()["status"] == "prospect"


def test_a_job_page_is_its_owners_only(app, auth, tenant, client, make_user):
    admin = auth.api(tenant)
    account = admin.post("/accounts", json={"name": "Mine"}).get_json()["id"]
    auth.login(tenant)
    job_url = apply(client, "account", "set:status", "active", [account]).headers["Location"]
    make_user(tenant, "sales_manager", email="other@acme.test")
    auth.login(tenant, "other@acme.test")
    assert client.get(job_url).status_code == 404


def test_the_column_chooser_is_saved_with_the_view(auth, tenant, client):
    auth.api(tenant).post("/accounts", json={"name": "Initech", "status": "active"})
    auth.login(tenant)
    page = client.get("/records/account/?columns=status&sort=name").get_data(as_text=True)
    table = page[page.index('id="records"'):]
    headers = re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?([^<▲▼]+)', table)
    assert [h.strip() for h in headers if h.strip()] == ["Name", "Status"]
    assert "Initech" in table and "Load more" not in table
    client.post("/records/account/views", data={
        "csrf_token": csrf(client), "name": "Short", "query": "columns=status&sort=name"})
    listed = client.get("/records/account/").get_data(as_text=True)
    view = re.search(r'href="([^"]+)">Short</a>', listed).group(1).replace("&amp;", "&")
    shown = client.get(view).get_data(as_text=True)
    assert 'value="domain"' in shown and 'name="columns" value="domain">' in shown
    assert 'name="columns" value="status" checked' in shown
