"""Invariant 1, proved from outside: tenant B reaches no record of tenant A by any route.

For every route and method of the URL map, an admin of tenant B (who holds every
permission) calls it with tenant A's ids. Routes with an id must answer 404 (or 401/403);
routes without one answer about B only. No response may contain any of A's ids or marker
strings, and A's records must be unchanged afterwards.
"""

from __future__ import annotations

import json

import pytest

from patron.testing.route_walk import (
    body_for,
    enable_every_module,
    request_body,
    routes,
    seed_collections,
)

MARKER = "ACME-CONFIDENTIAL"


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    """A plugin's routes are walked like the core's."""
    return [fake_plugin("gated")]


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def _seed_and_collect_ids(app, api, spec, context) -> dict[str, str]:
    """Create a record in every collection that has item routes; return collection → id."""
    account = api.post("/accounts", json={"name": f"{MARKER} account",
                                          "domain": "acme-secret.test"}).get_json()
    seed_collections(app, api, spec, {**context, "account_id": account["id"]})
    ids = {}
    for collection in sorted({route.collection for route in routes(app)
                              if route.has_id and not route.is_page}):
        items = api.open(collection).get_json()["items"]
        assert items, f"seed a record of {collection} for the isolation harness"
        ids[collection] = items[0]["id"]
    return ids


def _snapshot(api, ids) -> dict:
    return {collection: api.open(f"{collection}/{record_id}").get_json()
            for collection, record_id in ids.items()
            if api.open(f"{collection}/{record_id}").status_code == 200}


def test_no_route_crosses_tenants(app, auth, tenant, other_tenant):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    for client in (acme, globex):
        enable_every_module(client)
    spec = globex.open("/api/v1/openapi.json").get_json()
    a_role = acme.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    a_ids = _seed_and_collect_ids(app, acme, spec, {"role_id": a_role})
    before = _snapshot(acme, a_ids)
    role_id = globex.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    secrets = {MARKER, str(tenant.id), *a_ids.values()}
    checked = 0
    # Writes that refer to an account refer to one of A's: B must not reach it either.
    context = {"role_id": role_id, "account_id": a_ids["/api/v1/accounts"]}
    for route in routes(app):
        # A page's id may name a record of any kind: it is walked with every one of A's ids.
        ids = (list(a_ids.values()) if route.is_page and route.has_id
               else [a_ids.get(route.collection)])
        for record_id in ids:
            url = route.url(record_id, module="gated")
            body = body_for(route, context, spec)
            response = globex.open(url, method=route.method, **request_body(body))
            text = response.get_data(as_text=True)
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"{route.method} {route.rule} leaked {leaked}"
            # A page refuses a form without its CSRF token (400) before anything else.
            allowed = (400, 401, 403, 404) if route.is_page and route.method == "POST" else (
                401, 403, 404)
            if route.has_id:
                assert response.status_code in allowed, (
                    f"{route.method} {route.rule} with tenant A's id answered "
                    f"{response.status_code}: {text[:200]}"
                )
            checked += 1
    assert checked > 20
    assert _snapshot(acme, a_ids) == before, "tenant A's records changed"


def test_tenant_named_in_header_or_query_is_ignored(auth, tenant, other_tenant):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    acme.post("/accounts", json={"name": MARKER})
    for response in (
        globex.get(f"/accounts?tenant={tenant.slug}"),
        globex.get("/accounts", headers={"X-Tenant": tenant.slug,
                                         "X-Tenant-Id": str(tenant.id)}),
    ):
        assert response.status_code in (200, 422)
        assert MARKER not in json.dumps(response.get_json())
    assert globex.get("/me").get_json()["tenant"]["slug"] == other_tenant.slug
