"""The data-scope walk aimed at the sales routes, with records of every owned kind made
the way the module makes them (the core's walks — isolation, data scopes with every module on,
"absent without the module" — cover these routes too, with generic records). Generated from
the URL map: a sales route added later is walked as soon as it exists.
"""

from __future__ import annotations

import pytest

from patron.testing.route_walk import seed_collections, walk_items_owned_by

PREFIX = "/api/v1/sales"


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def test_every_owned_sales_item_route_hides_records_outside_own_scope(app, admin, tenant,
                                                                      make_user, account):
    """A user holding every permission but only the ``own`` scope gets 404 on every item
    route of a record someone else owns (nested routes with a real child of it, and actions;
    the pool's with an account of someone else's)."""
    role = admin.post("/roles", json={"key": "own_everything", "name": "Own everything",
                                      "permissions": ["*"], "default_scope": "own"}).get_json()
    limited = make_user(tenant, "own_everything")
    admin.post("/sales/leads", json={"last_name": "Admin's lead"})
    admin.post("/sales/opportunities", json={"name": "Admin's deal",
                                             "account_id": account["id"]})
    for path, body in (("quotes", {"name": "Admin's quote"}), ("orders", {"total": "5"}),
                       ("contracts", {"name": "Admin's contract"})):
        made = admin.post(f"/sales/{path}", json={**body, "account_id": account["id"]})
        assert made.status_code == 201, made.get_json()
    made = admin.post("/sales/quotas", json={"amount": "5", "period_start": "2031-01-01"})
    assert made.status_code == 201, made.get_json()
    spec = admin.open("/api/v1/openapi.json").get_json()
    context = {"role_id": role["id"], "account_id": account["id"]}
    seed_collections(app, admin, spec, context)  # every other collection, nested ones too
    checked = walk_items_owned_by(app, admin, limited, spec, context, prefix=PREFIX)
    assert checked == {f"{PREFIX}/{name}" for name in ("leads", "opportunities", "quotes",
                                                       "orders", "contracts", "quotas", "pool")}
    assert limited.get("/sales/leads").get_json()["items"] == []
    assert limited.get("/sales/forecast").get_json()["items"] == []
