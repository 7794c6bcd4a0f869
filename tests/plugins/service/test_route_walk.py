"""The data-scope walk aimed at the service routes, with tickets and work orders owned the
way the module owns them (assignee, booked technician); the core's walks — isolation, data
scopes with every module on, "absent without the module" — cover these routes too. Generated
from the URL map: a service route added later is walked as soon as it exists.
"""

from __future__ import annotations

import pytest

from patron.testing.route_walk import seed_collections, walk_items_owned_by

PREFIX = "/api/v1/service"
MONDAY = {"mon": ["08:00", "17:00"]}


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def test_every_owned_service_item_route_hides_records_outside_own_scope(app, admin, tenant,
                                                                        make_user, account):
    """A user holding every permission but only the ``own`` scope gets 404 on every item
    route of a ticket or work order someone else owns (nested routes with a real child of
    it, and actions too)."""
    role = admin.post("/roles", json={"key": "own_everything", "name": "Own everything",
                                      "permissions": ["*"], "default_scope": "own"}).get_json()
    limited = make_user(tenant, "own_everything")
    admin.post("/service/tickets", json={"subject": "Admin's", "assignee_id": admin.user_id})
    me = admin.post("/service/technicians", json={"name": "Admin", "user_id": admin.user_id,
                                                  "working_hours": MONDAY}).get_json()
    order = admin.post("/service/work-orders", json={"title": "Admin's"}).get_json()
    booked = admin.post(f"/service/work-orders/{order['id']}/schedule", json={
        "technician_ids": [me["id"]], "starts_at": "2030-01-07T09:00:00+00:00"})
    assert booked.status_code == 200, booked.get_json()
    spec = admin.open("/api/v1/openapi.json").get_json()
    context = {"role_id": role["id"], "account_id": account["id"]}
    seed_collections(app, admin, spec, context)  # every other collection, nested ones too
    checked = walk_items_owned_by(app, admin, limited, spec, context, prefix=PREFIX)
    assert checked == {f"{PREFIX}/tickets", f"{PREFIX}/work-orders"}
    assert limited.get("/service/tickets").get_json()["items"] == []
    assert limited.get("/service/work-orders").get_json()["items"] == []
