"""Text no column can hold is refused in one place, for every route: a NUL character or a
lone surrogate in a body, a custom value, a filter or the sign-in, and JSON nested thousands
deep (the repro: each was a 500, on PostgreSQL for NUL, everywhere for the rest)."""

from __future__ import annotations

import json

import pytest

from patron.testing.fixtures import csrf_token_from
from patron.testing.route_walk import Multipart, request_body


@pytest.mark.parametrize("bad", ["Ac\x00me", "Ac\ud800me"], ids=["nul", "surrogate"])
def test_a_bad_character_in_a_body_is_a_field_error(auth, tenant, bad):
    api = auth.api(tenant)
    response = api.post("/accounts", data=json.dumps({"name": bad}),
                        content_type="application/json")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert list(response.get_json()["errors"]) == ["name"]
    nested = api.post("/accounts", data=json.dumps({"name": "Acme", "tags": ["ok", bad]}),
                      content_type="application/json")
    assert list(nested.get_json()["errors"]) == ["tags.1"]
    assert api.get("/accounts").get_json()["items"] == []


def test_a_bad_character_in_a_custom_value_or_a_filter(auth, tenant):
    api = auth.api(tenant)
    api.post("/custom-fields", json={"entity": "account", "name": "tier", "label": "Tier",
                                     "type": "text"})
    response = api.post("/accounts", json={"name": "Acme", "custom": {"tier": "G\x00ld"}})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["custom.tier"]
    for query in ("name=a%00b", "name__contains=%00", "q=%00", "custom.tier=%00"):
        listed = api.get(f"/accounts?{query}")
        assert listed.status_code == 422, query
        assert listed.content_type == "application/problem+json"


def test_a_nul_in_the_sign_in_is_refused_not_crashed_on(client, tenant):
    token = client.post("/api/v1/auth/token", json={
        "tenant": "de\x00mo", "email": tenant.admin_email, "password": "x"})
    assert token.status_code == 422 and "tenant" in token.get_json()["errors"]
    page = client.get("/login").get_data(as_text=True)
    signed = client.post("/login", data={"csrf_token": csrf_token_from(page),
                                         "tenant": "de\x00mo", "email": tenant.admin_email,
                                         "password": "x"})
    assert signed.status_code == 400


def test_json_nested_too_deep_is_a_bad_request(auth, tenant, client):
    api = auth.api(tenant)
    deep = "[" * 5000 + "]" * 5000
    response = api.post("/accounts", data=deep, content_type="application/json")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert "nested too deeply" in response.get_json()["detail"]
    fairly = json.dumps({"name": "Acme", "custom": {}})
    assert api.post("/accounts", data=fairly, content_type="application/json"
                    ).status_code == 201
    anonymous = client.post("/api/v1/auth/token", data=deep, content_type="application/json")
    assert anonymous.status_code == 400


def test_a_nul_byte_in_a_csv_import_is_reported_by_its_line(auth, tenant):
    api = auth.api(tenant)
    content = b"Name,Website\nAcme,acme.test\nGlo\x00bex,globex.test\n"
    response = api.post("/imports", **request_body(Multipart(
        {"resource": "account"}, {"file": (content, "accounts.csv")})))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"file": [
        "Line 3 holds a NUL character, which no field can store; remove it and upload the "
        "file again."]}
    assert api.get("/imports").get_json()["items"] == []
    assert api.get("/accounts").get_json()["items"] == []
