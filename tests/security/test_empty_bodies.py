"""A body the OpenAPI document says is required must be sent (the repro: a ``PATCH`` with no
body answered 200, as if it had been ``{}``)."""

from __future__ import annotations


def test_a_write_without_its_body_is_refused(auth, tenant):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Acme"}).get_json()
    for method, path in (("patch", f"/accounts/{account['id']}"), ("post", "/accounts")):
        response = getattr(api, method)(path)
        assert response.status_code == 422, (method, path)
        assert response.get_json()["errors"] == {
            "_body": ["Send the request's fields as a JSON object."]}
    assert api.patch(f"/accounts/{account['id']}", json={}).status_code == 200  # nothing to do
    assert [a["name"] for a in api.get("/accounts").get_json()["items"]] == ["Acme"]


def test_the_document_still_describes_the_bodies(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    patch = spec["paths"]["/api/v1/accounts/{record_id}"]["patch"]
    assert patch["requestBody"]["required"] is True


def test_a_method_a_route_does_not_take_is_405_with_allow(auth, tenant):
    response = auth.api(tenant).open("/api/v1/accounts", method="TRACE")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}
