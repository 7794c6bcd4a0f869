"""Custom fields: typed definitions per tenant and entity, validated values in ``custom``."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


def define(api, name, type_, **extra):
    response = api.post("/custom-fields", json={"entity": "account", "name": name,
                                                "label": name.title(), "type": type_,
                                                **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_values_of_every_type_round_trip(api, tenant):
    for name, kind, extra in [
        ("tier", "select", {"options": ["gold", "silver"]}),
        ("tags", "multi_select", {"options": ["a", "b", "c"]}),
        ("seats", "number", {}), ("arr", "decimal", {}), ("renewal", "date", {}),
        ("last_audit", "datetime", {}), ("vip", "boolean", {}), ("notes", "long_text", {}),
        ("nickname", "text", {}), ("portal", "url", {}), ("billing", "email", {}),
        ("hotline", "phone", {}), ("account_manager", "user", {}),
    ]:
        define(api, name, kind, **extra)
    values = {"tier": "gold", "tags": ["a", "c"], "seats": 12, "arr": "1200.50",
              "renewal": "2027-03-01", "last_audit": "2026-01-02T03:04:05+00:00", "vip": True,
              "notes": "long\ntext", "nickname": "Big Co", "portal": "https://portal.example.com",
              "billing": "ap@example.com", "hotline": "+1 555 0100",
              "account_manager": str(tenant.admin_id)}
    created = api.post("/accounts", json={"name": "Typed", "custom": values})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["custom"] == values | {"arr": "1200.50"}
    again = api.get(f"/accounts/{created.get_json()['id']}").get_json()
    assert again["custom"] == created.get_json()["custom"]


def test_wrong_types_unknown_fields_and_options_are_422_under_custom(api):
    define(api, "tier", "select", options=["gold", "silver"])
    define(api, "seats", "number")
    response = api.post("/accounts", json={"name": "Bad", "custom": {
        "tier": "bronze", "seats": "many", "colour": "red"}})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["custom"]
    assert set(errors) == {"tier", "seats", "colour"}
    assert api.get("/accounts?count=true").get_json()["total"] == 0


def test_required_fields_and_defaults(api):
    define(api, "region", "select", options=["emea", "apac"], required=True, default="emea")
    define(api, "source", "text", required=True)
    missing = api.post("/accounts", json={"name": "No source"})
    assert missing.status_code == 422
    assert set(missing.get_json()["errors"]["custom"]) == {"source"}
    created = api.post("/accounts", json={"name": "Ok", "custom": {"source": "fair"}}).get_json()
    assert created["custom"] == {"region": "emea", "source": "fair"}
    cleared = api.patch(f"/accounts/{created['id']}", json={"custom": {"source": None}})
    assert cleared.status_code == 422


def test_patch_merges_and_null_removes(api):
    define(api, "nickname", "text")
    define(api, "seats", "number")
    record = api.post("/accounts", json={"name": "M", "custom": {"nickname": "m",
                                                                 "seats": 3}}).get_json()
    patched = api.patch(f"/accounts/{record['id']}", json={"custom": {"seats": 4}}).get_json()
    assert patched["custom"] == {"nickname": "m", "seats": 4}
    patched = api.patch(f"/accounts/{record['id']}", json={"custom": {"nickname": None}})
    assert patched.get_json()["custom"] == {"seats": 4}


def test_unique_values_are_enforced_per_tenant(api, auth, other_tenant):
    define(api, "vat", "text", unique=True)
    first = api.post("/accounts", json={"name": "A", "custom": {"vat": "DE123"}}).get_json()
    clash = api.post("/accounts", json={"name": "B", "custom": {"vat": "de123"}})
    assert clash.status_code == 422 and "vat" in clash.get_json()["errors"]["custom"]
    neighbour = auth.api(other_tenant)
    define(neighbour, "vat", "text", unique=True)
    assert neighbour.post("/accounts", json={"name": "A", "custom": {"vat": "DE123"}}
                          ).status_code == 201
    assert api.delete(f"/accounts/{first['id']}").status_code == 204
    assert api.post("/accounts", json={"name": "C", "custom": {"vat": "DE123"}}
                    ).status_code == 201


def test_filter_and_sort_by_custom_fields(api):
    define(api, "seats", "number")
    define(api, "tier", "select", options=["gold", "silver"])
    for name, seats, tier in [("A", 5, "gold"), ("B", 50, "silver"), ("C", 20, "gold"),
                              ("D", None, None)]:
        custom = {k: v for k, v in {"seats": seats, "tier": tier}.items() if v is not None}
        api.post("/accounts", json={"name": name, "custom": custom})
    names = lambda q: [a["name"] for a in api.get(f"/accounts?{q}").get_json()["items"]]  # noqa: E731
    assert sorted(names("custom.tier=gold")) == ["A", "C"]
    assert sorted(names("custom.seats__gte=20")) == ["B", "C"]
    assert names("sort=custom.seats") == ["A", "C", "B", "D"]
    assert names("sort=-custom.seats") == ["B", "C", "A", "D"]
    page = api.get("/accounts?sort=custom.seats&limit=2").get_json()
    rest = api.get(f"/accounts?sort=custom.seats&limit=2&cursor={page['next_cursor']}")
    assert [a["name"] for a in rest.get_json()["items"]] == ["B", "D"]
    assert api.get("/accounts?custom.nothing=1").status_code == 422
    assert api.get("/accounts?custom.seats=many").status_code == 422


@pytest.mark.parametrize(("kind", "stored", "query", "other"), [
    ("text", "Gold", "Gold", "gold"),
    ("number", 20, "20", "2"),
    ("boolean", True, "true", False),
    ("date", "2030-02-01", "2030-02-01", "2030-02-02"),
    ("decimal", "0.50", "0.5", "0.51"),
    ("email", "a@b.test", "a@b.test", "b@b.test"),
])
def test_equality_filters_match_exactly_for_every_type(api, kind, stored, query, other):
    # On PostgreSQL most types are matched by containment (custom @> ...), which the GIN
    # index on ``custom`` serves: it must find exactly what the typed comparison finds.
    define(api, "field", kind)
    api.post("/accounts", json={"name": "match", "custom": {"field": stored}})
    api.post("/accounts", json={"name": "other", "custom": {"field": other}})
    api.post("/accounts", json={"name": "empty"})
    found = api.get("/accounts", query_string={"custom.field": query}).get_json()["items"]
    assert [a["name"] for a in found] == ["match"]


def test_definitions_are_validated(api):
    bad = api.post("/custom-fields", json={"entity": "planet", "name": "Bad Name",
                                           "label": "x", "type": "select"})
    assert bad.status_code == 422
    assert {"entity", "name", "options"} <= set(bad.get_json()["errors"])
    define(api, "tier", "select", options=["gold"])
    duplicate = api.post("/custom-fields", json={"entity": "account", "name": "tier",
                                                 "label": "Again", "type": "text"})
    assert duplicate.status_code == 422
    bad_default = api.post("/custom-fields", json={"entity": "account", "name": "n",
                                                   "label": "N", "type": "number",
                                                   "default": "x"})
    assert bad_default.status_code == 422 and "default" in bad_default.get_json()["errors"]


def test_renaming_the_label_keeps_values(api):
    field = define(api, "nickname", "text")
    record = api.post("/accounts", json={"name": "K", "custom": {"nickname": "kay"}}).get_json()
    renamed = api.patch(f"/custom-fields/{field['id']}", json={"label": "Also known as"})
    assert renamed.status_code == 200
    assert api.patch(f"/custom-fields/{field['id']}", json={"name": "aka"}).status_code == 422
    assert api.get(f"/accounts/{record['id']}").get_json()["custom"] == {"nickname": "kay"}


def test_deleting_a_definition_needs_confirmation_and_removes_values(api):
    field = define(api, "nickname", "text")
    define(api, "seats", "number")
    record = api.post("/accounts", json={"name": "K", "custom": {"nickname": "kay",
                                                                 "seats": 1}}).get_json()
    unconfirmed = api.delete(f"/custom-fields/{field['id']}")
    assert unconfirmed.status_code == 409 and "1 record" in unconfirmed.get_json()["detail"]
    assert api.get(f"/accounts/{record['id']}").get_json()["custom"]["nickname"] == "kay"
    assert api.delete(f"/custom-fields/{field['id']}?confirm=true").status_code == 204
    after = api.get(f"/accounts/{record['id']}").get_json()
    assert after["custom"] == {"seats": 1} and after["version"] == record["version"] + 1


def test_definitions_are_per_tenant(api, auth, other_tenant):
    define(api, "tier", "select", options=["gold"])
    neighbour = auth.api(other_tenant)
    assert neighbour.get("/custom-fields").get_json()["items"] == []
    refused = neighbour.post("/accounts", json={"name": "X", "custom": {"tier": "gold"}})
    assert refused.status_code == 422
