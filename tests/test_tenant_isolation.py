"""Invariant 1, proved from outside: tenant B reaches no record of tenant A by any route.

Both tenants switch every module on and get a record in every collection of every module
(nested ones included). For every API route and method of the URL map, an admin of tenant B
(who holds every permission) calls it with tenant A's ids — real ones, of the collection each
id names: the owner reads every one of them, as B reads the same routes with its own ids.
Routes with an id must answer 404 (or 401/403), as must a nested route given B's record and
A's child of one (a line of A's quote under B's quote); routes without one answer about B
only. A write whose body names A's records (a line's ``product_id``, a team member's
``user_id``) is refused, sent to A's record and to B's own. Pages without an id are walked
too, signed in through the login form with a valid CSRF token, so that the page itself
answers and not the CSRF check; pages with an id are walked by ``test_web_isolation.py``. No
response may contain any of A's ids or marker strings, and A's records must be unchanged
afterwards.
"""

from __future__ import annotations

import json

import pytest

from patron.testing.fixtures import csrf_token_from
from patron.testing.route_walk import body_for, fill, mixed, request_body, routes, seed_tenant

MARKER = "ACME-CONFIDENTIAL"
#: What a page walk sends as a form besides the CSRF token.
FORM = {"version": "1", "name": "Hijacked", "label": "Hijacked", "active": "false", "to": "up"}


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    """A plugin's routes are walked like the core's."""
    return [fake_plugin("gated")]


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def _walk_order(route) -> tuple:
    """API routes with ids first (while B still has every module on), pages last, signing
    out at the very end."""
    return route.is_page, not route.has_id, route.rule == "/logout", route.rule, route.method


def test_no_route_crosses_tenants(app, auth, tenant, other_tenant, client):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    spec = globex.open("/api/v1/openapi.json").get_json()
    a_records = seed_tenant(app, acme, spec, MARKER)
    b_records = seed_tenant(app, globex, spec, "GLOBEX")
    walked = [(route, fill(app, route, a_records, module="gated"),
               fill(app, route, b_records, module="gated"))
              for route in sorted(routes(app), key=_walk_order)
              if not (route.is_page and route.has_id)]
    paths = sorted(a_records.known())
    before = {path: acme.open(path).get_json() for path in paths}
    secrets = {MARKER, str(tenant.id), *a_records.ids()}
    auth.login(other_tenant)
    form = {**FORM, "account_id": a_records.items("/api/v1/accounts")[0]["id"],
            "csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))}
    # Writes that refer to a record refer to one of A's: B must not reach it either.
    context = {"role_id": a_records.items("/api/v1/roles")[0]["id"],
               "account_id": form["account_id"]}
    for route, url, own_url in walked:
        if route.has_id and route.method == "GET":
            # Closed: a download holds its file open.
            with acme.open(url) as owners, globex.open(own_url) as own:
                assert owners.status_code == 200, f"the walk's {url} is not A's"
                assert own.status_code == 200, f"B cannot GET its own {own_url}"
        if route.is_page:
            response = client.open(url, method=route.method,
                                   data=form if route.method == "POST" else None)
        else:
            body = body_for(route, context, spec, a_records.refer(route.rule))
            named = [s for s in secrets if s in json.dumps(body, default=repr)]
            if named and route.has_id:  # B's own record, told to refer to A's
                own = globex.open(own_url, method=route.method, **request_body(body))
                assert own.status_code >= 400, (
                    f"{route.method} {own_url} took tenant A's {named}: {own.status_code}")
            child = mixed(own_url, url)
            if child:  # B's own record, A's child of one
                refused = globex.open(child, method=route.method, **request_body(body))
                assert refused.status_code in (401, 403, 404), (
                    f"{route.method} {child}: {refused.status_code}")
            response = globex.open(url, method=route.method, **request_body(body))
            assert not (named and response.status_code < 400), (
                f"{route.method} {route.rule} took tenant A's {named}: {response.status_code}")
        text = response.get_data(as_text=True)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{route.method} {route.rule} leaked {leaked}"
        # The form carries a valid CSRF token: the page answers, not flask-wtf's check.
        assert "The CSRF" not in text, f"{route.method} {route.rule}: the CSRF check refused"
        if route.has_id:
            assert response.status_code in (401, 403, 404), (
                f"{route.method} {route.rule} with tenant A's ids answered "
                f"{response.status_code}: {text[:200]}")
    assert len(walked) > 250
    assert {path: acme.open(path).get_json() for path in paths} == before, (
        "tenant A's records changed")


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
