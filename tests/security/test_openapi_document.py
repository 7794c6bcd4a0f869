"""The OpenAPI document is one tools accept (the repro: openapi-spec-validator refused it for
``"maximum": "100000000"``; errors were documented as ``application/json`` in a shape they do
not have; read-only fields that are null were not ``nullable``)."""

from __future__ import annotations

from openapi_spec_validator import OpenAPIV30SpecValidator


def test_the_document_is_valid_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    errors = [f"{list(error.path)}: {error.message[:200]}"
              for error in OpenAPIV30SpecValidator(spec).iter_errors()]
    assert errors == []


def test_errors_are_documented_as_problem_details(auth, tenant, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert list(documented) == ["application/problem+json"]
    problem = spec["components"]["schemas"]["Problem"]["properties"]
    answered = auth.api(tenant).post("/accounts", json={})
    assert answered.mimetype == "application/problem+json"
    assert set(answered.get_json()) <= set(problem)


def test_decimals_are_patterned_strings_and_late_fields_nullable(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    quantity = schemas["PartUsed"]["properties"]["quantity"]
    assert quantity["type"] == "string" and "maximum" not in quantity
    assert quantity["pattern"] == r"^(100000000(\.0{1,4})?|\d{1,8}(\.\d{1,4})?)$"
    assert quantity["description"] == "Above 0, at most 100000000"
    deal = schemas["Opportunity"]["properties"]
    assert deal["closed_at"]["nullable"] is True and "nullable" not in deal["id"]
