"""API conventions of docs/API.md, exercised on /accounts."""

from __future__ import annotations


def test_create_returns_201_location_and_record(auth, tenant):
    api = auth.api(tenant)
    response = api.post("/accounts", json={"name": "Initech", "domain": "initech.test"})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/accounts/{body['id']}")
    assert body["version"] == 1 and body["owner_id"] == api.user_id
    assert body["created_at"].endswith("+00:00")
    assert api.get(f"/accounts/{body['id']}").get_json()["name"] == "Initech"


def test_stale_patch_gets_409_and_changes_nothing(auth, tenant):
    api = auth.api(tenant)
    record = api.post("/accounts", json={"name": "Initech"}).get_json()
    first = api.patch(f"/accounts/{record['id']}", json={"name": "Initrode", "version": 1})
    assert first.status_code == 200 and first.get_json()["version"] == 2
    stale = api.patch(f"/accounts/{record['id']}", json={"name": "Lost"},
                      headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.mimetype == "application/problem+json"
    assert api.get(f"/accounts/{record['id']}").get_json()["name"] == "Initrode"


def test_malformed_json_is_422_problem(auth, tenant):
    api = auth.api(tenant)
    response = api.post("/accounts", data="{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {"_body": ["Invalid JSON body."]}


def test_server_fields_and_unknown_fields_are_422_and_change_nothing(auth, tenant, other_tenant):
    api = auth.api(tenant)
    for field, value in [("tenant_id", str(other_tenant.id)), ("owner_id", api.user_id),
                         ("id", "01890000-0000-7000-8000-000000000000"), ("version", 3),
                         ("colour", "red")]:
        response = api.post("/accounts", json={"name": "Sneaky", field: value})
        assert response.status_code == 422, field
        assert response.get_json()["errors"] == {field: ["Unknown field."]}
    assert api.get("/accounts?count=true").get_json()["total"] == 0


def test_wrong_types_are_field_errors(auth, tenant):
    api = auth.api(tenant)
    response = api.post("/accounts", json={"name": 5, "website": "not a url"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"name", "website"}


def test_keyset_pagination_is_stable_under_inserts(auth, tenant):
    api = auth.api(tenant)
    for i in range(5):
        api.post("/accounts", json={"name": f"Account {i}"})
    first = api.get("/accounts?limit=2&sort=name").get_json()
    assert [a["name"] for a in first["items"]] == ["Account 0", "Account 1"]
    api.post("/accounts", json={"name": "Account 00"})  # sorts before the cursor
    second = api.get(f"/accounts?limit=2&sort=name&cursor={first['next_cursor']}").get_json()
    assert [a["name"] for a in second["items"]] == ["Account 2", "Account 3"]
    third = api.get(f"/accounts?limit=2&sort=name&cursor={second['next_cursor']}").get_json()
    assert [a["name"] for a in third["items"]] == ["Account 4"]
    assert third["next_cursor"] is None


def test_sort_descending_with_nulls_last_pages_through_everything(auth, tenant):
    api = auth.api(tenant)
    domains = ["b.test", None, "a.test", None, "c.test"]
    for i, domain in enumerate(domains):
        api.post("/accounts", json={"name": f"N{i}", "domain": domain})
    seen, cursor = [], ""
    while True:
        page = api.get(f"/accounts?limit=2&sort=-domain{cursor}").get_json()
        seen += [a["domain"] for a in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == ["c.test", "b.test", "a.test", None, None]


def test_filters_operators_and_count(auth, tenant):
    api = auth.api(tenant)
    for name, industry in [("Alpha", "retail"), ("Beta", "energy"), ("Gamma", "retail")]:
        api.post("/accounts", json={"name": name, "industry": industry})
    names = lambda q: sorted(a["name"] for a in api.get(f"/accounts?{q}").get_json()["items"])  # noqa: E731
    assert names("industry=retail") == ["Alpha", "Gamma"]
    assert names("name__in=Alpha,Beta") == ["Alpha", "Beta"]
    assert names("name__contains=amm") == ["Gamma"]
    assert names("name__gte=Beta") == ["Beta", "Gamma"]
    assert names("name__lte=Beta") == ["Alpha", "Beta"]
    assert names("q=alp") == ["Alpha"]
    assert names("owner=me") == ["Alpha", "Beta", "Gamma"]
    assert api.get("/accounts?industry=retail&count=true").get_json()["total"] == 2


def test_unknown_filter_bad_cursor_and_limit_are_422(auth, tenant):
    api = auth.api(tenant)
    assert api.get("/accounts?colour=red").get_json()["errors"] == {"colour": ["Unknown filter."]}
    assert "cursor" in api.get("/accounts?cursor=garbage").get_json()["errors"]
    assert "limit" in api.get("/accounts?limit=201").get_json()["errors"]
    assert "sort" in api.get("/accounts?sort=password_hash").get_json()["errors"]
    naive = api.get("/accounts?created_at__gte=2026-01-01T00:00:00")
    assert naive.status_code == 422 and "created_at__gte" in naive.get_json()["errors"]
    aware = api.get("/accounts?created_at__gte=2026-01-01T00:00:00%2B00:00")
    assert aware.status_code == 200


def test_delete_is_204_then_404(auth, tenant):
    api = auth.api(tenant)
    record = api.post("/accounts", json={"name": "Gone"}).get_json()
    assert api.delete(f"/accounts/{record['id']}").status_code == 204
    assert api.get(f"/accounts/{record['id']}").status_code == 404


def test_openapi_document_lists_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (path, method.upper())
        for path, operations in spec["paths"].items()
        for method in operations
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1/openapi.json":
            continue
        path = rule.rule.replace("<uuid:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, (path, method)
    assert client.get("/api/docs").status_code == 200


def test_health_endpoints(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
