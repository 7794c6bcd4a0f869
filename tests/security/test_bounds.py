"""Every field a client writes is bounded by what stores it (the repros: a contact with
300,000 addresses was stored; a stage's ``position`` or ``stalled_after_days`` past the
column's range was a 500 "integer out of range")."""

from __future__ import annotations


def _writable_properties(spec: dict):
    """``(schema, property, definition)`` of every property a request body may carry."""
    for path in spec["paths"].values():
        for method, operation in path.items():
            body = operation.get("requestBody", {}).get("content", {}).get(
                "application/json") if method in ("post", "put", "patch") else None
            schema, name = (body or {}).get("schema", {}), "body"
            while "$ref" in schema:
                name = schema["$ref"].rsplit("/", 1)[1]
                schema = spec["components"]["schemas"][name]
            for prop, definition in schema.get("properties", {}).items():
                if not definition.get("readOnly"):
                    yield name, prop, definition


def test_every_list_and_whole_number_in_a_body_has_a_bound(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    unbounded = sorted({f"{schema}.{prop}" for schema, prop, definition in
                        _writable_properties(spec)
                        if (definition.get("type") == "array" and "maxItems" not in definition)
                        or (definition.get("type") == "integer" and "maximum" not in definition)})
    assert unbounded == [], "\n".join(unbounded)


def test_a_contact_takes_a_bounded_number_of_addresses(auth, tenant):
    api = auth.api(tenant)
    many = [f"person{n}@example.test" for n in range(300)]
    refused = api.post("/contacts", json={"last_name": "Lee", "emails": many})
    assert refused.status_code == 422 and "emails" in refused.get_json()["errors"]
    assert api.get("/contacts").get_json()["items"] == []
    assert api.post("/contacts", json={"last_name": "Lee", "emails": many[:3]}
                    ).status_code == 201


def test_integers_past_the_columns_range_are_refused(auth, tenant, switch_module):
    api = auth.api(tenant)
    switch_module(api, "sales")
    pipeline = api.post("/sales/pipelines", json={"name": "Big"}).get_json()
    stage = pipeline["stages"][0]
    for body in ({"position": 2 ** 40}, {"stalled_after_days": 2 ** 31}):
        response = api.patch(f"/sales/stages/{stage['id']}", json=body)
        assert response.status_code == 422, body
    assert api.get(f"/sales/stages/{stage['id']}").get_json()["position"] == stage["position"]
