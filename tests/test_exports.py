"""CSV exports (issue 3, item 7): the list's filters, sort and data scope, custom columns,
formula-injection neutralisation, streaming in keyset pages, tenant isolation."""

from __future__ import annotations

import csv
import io

import pytest

from patron.imports import exports


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_export_uses_the_lists_filters_and_sort(api):
    for name, industry in [("Gamma", "retail"), ("Alpha", "retail"), ("Beta", "energy")]:
        api.post("/accounts", json={"name": name, "industry": industry})
    response = api.get("/exports/account?industry=retail&sort=-name")
    assert 'filename="accounts.csv"' in response.headers["Content-Disposition"]
    exported = rows(response)
    assert [r["name"] for r in exported] == ["Gamma", "Alpha"]
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[:3] == ["id", "version", "created_at"] and "owner_id" in header
    assert "custom" not in header
    assert api.get("/exports/account?q=bet").get_data(as_text=True).count("\n") == 2


def test_custom_fields_are_columns(api):
    api.post("/custom-fields", json={"entity": "account", "name": "tier", "label": "Tier",
                                     "type": "select", "options": ["gold", "silver"]})
    api.post("/custom-fields", json={"entity": "account", "name": "tags", "label": "Tags",
                                     "type": "multi_select", "options": ["a", "b"]})
    api.post("/accounts", json={"name": "Acme", "custom": {"tier": "gold", "tags": ["a", "b"]}})
    api.post("/accounts", json={"name": "Plain"})
    exported = {r["name"]: r for r in rows(api.get("/exports/account?sort=name"))}
    assert (exported["Acme"]["custom.tier"], exported["Acme"]["custom.tags"]) == ("gold", "a;b")
    assert (exported["Plain"]["custom.tier"], exported["Plain"]["custom.tags"]) == ("", "")
    gold = rows(api.get("/exports/account?custom.tier=gold"))
    assert [r["name"] for r in gold] == ["Acme"]


@pytest.mark.parametrize("dangerous", ["=SUM(A1:A9)", "+1+2", "-3", "@cmd", "\tTab", "\rCR"])
def test_cells_that_would_run_as_formulas_are_neutralised(api, dangerous):
    api.post("/accounts", json={"name": dangerous, "industry": "=HYPERLINK(\"x\")"})
    [row] = rows(api.get("/exports/account"))
    assert row["name"] == "'" + dangerous
    assert row["industry"] == "'=HYPERLINK(\"x\")"


def test_export_streams_every_record_in_keyset_pages(api, monkeypatch):
    monkeypatch.setattr(exports, "PAGE_SIZE", 2)
    for i in range(7):
        api.post("/accounts", json={"name": f"Account {i}"})
    response = api.get("/exports/account?sort=name")
    assert response.is_streamed
    assert [r["name"] for r in rows(response)] == [f"Account {i}" for i in range(7)]


def test_export_applies_the_data_scope(api, tenant, make_user):
    api.post("/accounts", json={"name": "The admin's"})
    rep = make_user(tenant, "sales_rep")
    rep.post("/accounts", json={"name": "The rep's"})
    assert [r["name"] for r in rows(rep.get("/exports/account"))] == ["The rep's"]
    assert len(rows(api.get("/exports/account"))) == 2


def test_hidden_fields_are_not_exported(api, tenant, make_user):
    api.post("/custom-fields", json={"entity": "account", "name": "margin", "label": "Margin",
                                     "type": "decimal"})
    role = api.get("/roles?key=sales_rep").get_json()["items"][0]
    api.patch(f"/roles/{role['id']}", json={"field_access": {"account": {
        "phone": "hidden", "custom.margin": "hidden"}}})
    rep = make_user(tenant, "sales_rep")
    rep.post("/accounts", json={"name": "Initech"})
    header = next(csv.reader(io.StringIO(rep.get("/exports/account").get_data(as_text=True))))
    assert "name" in header and "phone" not in header and "custom.margin" not in header
    assert "custom.margin" in rows(api.get("/exports/account"))[0]


def test_export_needs_read_permission_and_a_known_resource(api, tenant, make_user):
    assert api.get("/exports/spaceship").status_code == 404
    assert api.get("/exports/account?colour=red").get_json()["errors"] == {
        "colour": ["Unknown filter."]}
    role = api.post("/roles", json={"key": "blind", "name": "Blind",
                                    "permissions": ["core.contacts.read"]}).get_json()
    assert role["id"]
    blind = make_user(tenant, "blind")
    assert blind.get("/exports/account").status_code == 403
    assert rows(blind.get("/exports/contact")) == []


def test_another_tenants_records_are_never_exported(api, auth, other_tenant):
    api.post("/accounts", json={"name": "ACME-ONLY"})
    neighbour = auth.api(other_tenant)
    assert "ACME-ONLY" not in neighbour.get("/exports/account").get_data(as_text=True)


def test_the_export_route_is_documented_as_csv(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/exports/{resource}"]["get"]
    assert "text/csv" in operation["responses"]["200"]["content"]
    assert {"sort", "q", "owner"} <= {p["name"] for p in operation["parameters"]}


def test_each_reference_is_followed_by_the_name_of_what_it_names(api, tenant, make_user):
    globex = api.post("/accounts", json={"name": "Globex"}).get_json()
    api.post("/contacts", json={"last_name": "Lee", "account_id": globex["id"]})
    api.post("/contacts", json={"last_name": "Ray"})
    exported = api.get("/exports/contact")
    header = next(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert header[header.index("account_id") + 1] == "account"
    by_name = {row["last_name"]: row for row in rows(exported)}
    assert (by_name["Lee"]["account_id"], by_name["Lee"]["account"]) == (globex["id"], "Globex")
    assert (by_name["Ray"]["account_id"], by_name["Ray"]["account"]) == ("", "")
    assert by_name["Lee"]["owner"] == "Admin"  # the owner's name after owner_id
