"""What a user types into a filter or the list search matches literally (the repro:
``name__contains=_`` matched every record, ``%`` too)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("query", ["name__contains", "q"])
def test_wildcards_match_themselves(auth, tenant, query):
    api = auth.api(tenant)
    for name in ("Acme", "Under_score", "100% Widgets", "Back\\slash"):
        assert api.post("/accounts", json={"name": name}).status_code == 201

    def names(value: str) -> list[str]:
        response = api.get("/accounts", query_string={query: value})
        assert response.status_code == 200
        return sorted(item["name"] for item in response.get_json()["items"])

    assert names("_") == ["Under_score"]
    assert names("%") == ["100% Widgets"]
    assert names("\\") == ["Back\\slash"]
    assert names("r_s") == ["Under_score"]
    assert names("acm") == ["Acme"]  # still case-insensitive
