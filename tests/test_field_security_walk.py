"""Field-level security in every view: a role hides one field of every entity with pages, the
field holds a marker value on the tenant's records, and a user of that role walks every page
of the URL map (every module on, a record in every collection). No page, board, report, list
or export may show a marker (as the isolation walk does for tenants); the same pages show
them to the admin, so the markers are really there.

The field of each entity is found through the API: the first text field (not the record's
name or a choice) that takes the marker.
"""

from __future__ import annotations

import pytest

from patron.testing.route_walk import (
    entity_collection,
    page_entities,
    page_urls,
    response_text,
    seed_page_records,
    seed_tenant,
)

#: Fields never chosen: names and titles (hiding them hides the record's link), choices.
SKIPPED = {"name", "subject", "title", "full_name", "first_name", "last_name", "email",
           "currency", "status", "kind", "type", "priority", "severity", "category", "stage",
           "rule", "channel", "complaint_type", "forecast_category", "number", "sku", "code"}


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def mark_a_field(app, api, records, entity: str) -> tuple[str, str] | None:
    """``(field, marker)`` written into a text field of ``entity``'s first record."""
    collection = entity_collection(app, entity)
    item = records.items(f"/records/{entity}")[0]
    marker = f"FSMARK{entity.replace('_', '').upper()}"
    for field, value in item.items():
        if field in SKIPPED or field.endswith(("_id", "_at", "_on")) or (
                value is not None and not isinstance(value, str)):
            continue
        changed = api.open(f"{collection}/{item['id']}", method="PATCH", json={field: marker},
                           headers={"If-Match": str(item["version"])})
        if changed.status_code == 200 and changed.get_json().get(field) == marker:
            return field, marker
    return None


def test_no_page_shows_a_field_the_role_hides(app, auth, tenant, client, make_user):
    api = auth.api(tenant)
    records = seed_tenant(app, api, api.open("/api/v1/openapi.json").get_json(), "Walker")
    seed_page_records(app, api, records, "Walker")
    hidden = {entity: found for entity in page_entities(app)
              if (found := mark_a_field(app, api, records, entity))}
    assert len(hidden) >= 8, hidden
    admin_role = next(role for role in api.get("/roles").get_json()["items"]
                      if role["key"] == "admin")
    made = api.post("/roles", json={
        "key": "field_walker", "name": "Field walker", "permissions": admin_role["permissions"],
        "field_access": {entity: {field: "hidden"} for entity, (field, _) in hidden.items()}})
    assert made.status_code == 201, made.get_json()
    make_user(tenant, "field_walker", email="walker@acme.test")
    urls = page_urls(app, records, tenant.slug)
    markers = {marker: f"{entity}.{field}" for entity, (field, marker) in hidden.items()}

    def shown(body: str) -> set[str]:
        return {name for marker, name in markers.items() if marker in body}

    auth.login(tenant)
    seen_by_admin = set().union(*(shown(response_text(client.get(url))) for url in urls))
    assert seen_by_admin == set(markers.values())
    walker = app.test_client()
    auth.login(tenant, "walker@acme.test", client=walker)
    leaks = {}
    for url in urls:
        if found := shown(response_text(walker.get(url))):
            leaks[url] = sorted(found)
    assert not leaks, f"hidden fields shown: {leaks}"
