"""Tenant isolation of the pages: every page route with an id, walked by another tenant's
admin with this tenant's ids, answers 404 and shows nothing of them.

Both tenants switch every installed module on and get a record in every collection (nested
ones included), a file on a record of every entity with pages and a saved view of each. Each
id in a walked URL is a real one of the collection it names — the entity's for
``/records/<entity>/…`` (every entity with pages), a deal's line for
``/sales/deals/<id>/lines/<row_id>`` — and the owner reads every page the walk GETs, as the
neighbour reads the same page of their own records. A nested page is also asked with the
neighbour's record and the owner's child of one (their deal, our line). The neighbour signs
in through the login form and posts forms with a valid CSRF token, so each page is refused by
its own lookup, not by the module gate or the CSRF check.

The route list comes from the URL map, so a page added later is walked as soon as it exists
(and fails the walk until it can be given real ids); pages without an id are walked by
``test_tenant_isolation.py``.
"""

from __future__ import annotations

import pytest

from patron.testing.fixtures import csrf_token_from
from patron.testing.route_walk import (
    fill,
    mixed,
    page_entities,
    routes,
    seed_page_records,
    seed_tenant,
)

MARKER = "ACME-CONFIDENTIAL"
FORM = {"version": "1", "name": "Hijacked", "label": "Hijacked", "active": "false", "to": "up"}


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def _seed(app, api, marker: str):
    spec = api.open("/api/v1/openapi.json").get_json()
    records = seed_tenant(app, api, spec, marker)
    seed_page_records(app, api, records, marker)
    return records


def _page_urls(app, records, others=None):
    """``(route, url, url of others)`` for every page route with an id, once per entity with
    pages where the rule names one, with ``records``' ids (and ``others``')."""
    entities = page_entities(app)
    for route in routes(app):
        if route.is_page and route.has_id:
            for entity in entities if "<entity>" in route.rule else ("account",):
                yield (route, fill(app, route, records, entity=entity),
                       others and fill(app, route, others, entity=entity))


def test_no_page_reaches_another_tenants_records(app, auth, tenant, other_tenant, client):
    acme = auth.api(tenant)
    a_records = _seed(app, acme, MARKER)
    b_records = _seed(app, auth.api(other_tenant), "GLOBEX")
    walked = list(_page_urls(app, a_records, b_records))
    paths = sorted(a_records.known())
    before = {path: acme.open(path).get_json() for path in paths}
    secrets = {MARKER, *a_records.ids()}
    auth.login(other_tenant)
    form = {**FORM, "csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))}
    for route, url, own_url in walked:
        if route.method == "GET":
            assert acme.open(url).status_code == 200, f"the walk's {url} is not A's"
            assert client.get(own_url).status_code == 200, f"B cannot GET its own {own_url}"
        data = form if route.method == "POST" else None
        child = mixed(own_url, url)
        if child:  # B's own record, A's child of one
            refused = client.open(child, method=route.method, data=data)
            assert refused.status_code == 404, f"{route.method} {child}: {refused.status_code}"
        response = client.open(url, method=route.method, data=data)
        assert response.status_code == 404, f"{route.method} {url}: {response.status_code}"
        text = response.get_data(as_text=True)
        assert not [s for s in secrets if s in text], f"{route.method} {route.rule} leaked"
    assert len(walked) > 150
    assert {route.rule for route, _, _ in walked} == {
        route.rule for route in routes(app) if route.is_page and route.has_id}
    assert {path: acme.open(path).get_json() for path in paths} == before, (
        "tenant A's records changed")
    assert acme.get("/me").get_json()["user"]["is_active"] is True


def test_json_posts_without_a_form_token_are_refused(app, auth, tenant, other_tenant):
    """What the API harness sends (a bearer token and JSON) changes nothing through a page."""
    acme = auth.api(tenant)
    a_records = _seed(app, acme, MARKER)
    globex = auth.api(other_tenant)
    posts = [url for route, url, _ in _page_urls(app, a_records) if route.method == "POST"]
    paths = sorted(a_records.known())
    before = {path: acme.open(path).get_json() for path in paths}
    for url in posts:
        response = globex.open(url, method="POST", json={"name": "Hijacked"})
        assert response.status_code in (400, 404), f"POST {url}: {response.status_code}"
    assert posts
    assert {path: acme.open(path).get_json() for path in paths} == before
