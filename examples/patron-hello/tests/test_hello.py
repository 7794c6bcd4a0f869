"""The Hello module as a tenant sees it, tested with the core's kit only (``pytest11``).

Fixtures used: ``auth`` (API clients per tenant and user), ``tenant`` and ``other_tenant``
(two tenants with an admin each), ``make_user`` (a user with one of the default roles).
"""

from __future__ import annotations

import logging

GREETINGS = "/hello/greetings"


def enable(api, enabled: bool = True) -> None:
    """Switch the module for the api client's tenant, as its admin would."""
    response = api.put("/modules/hello", json={"enabled": enabled})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["enabled"] is enabled


def test_installed_module_is_listed_and_off_by_default(auth, tenant):
    api = auth.api(tenant)
    modules = {m["name"]: m for m in api.get("/modules").get_json()["items"]}
    assert modules["hello"]["label"] == "Hello"
    assert modules["hello"]["enabled"] is False
    assert api.get(GREETINGS).status_code == 404
    assert api.post(GREETINGS, json={"message": "Too early"}).status_code == 404


def test_enabling_mounts_the_api(auth, tenant):
    api = auth.api(tenant)
    enable(api)
    created = api.post(GREETINGS, json={"message": "Hello, world", "language": "en"})
    assert created.status_code == 201
    greeting = created.get_json()
    assert greeting["owner_id"] == api.user_id and greeting["version"] == 1
    assert created.headers["Location"].endswith(f"/api/v1{GREETINGS}/{greeting['id']}")
    assert api.get(f"{GREETINGS}?q=world").get_json()["items"] == [greeting]
    assert api.post(GREETINGS, json={"message": ""}).status_code == 422
    assert "/api/v1/hello/greetings" in api.get("/openapi.json").get_json()["paths"]


def test_other_tenant_gets_404_and_no_menu_item(auth, tenant, other_tenant):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    enable(acme)
    greeting = acme.post(GREETINGS, json={"message": "Acme only"}).get_json()
    for response in (
        globex.get(GREETINGS),
        globex.post(GREETINGS, json={"message": "Hi"}),
        globex.get(f"{GREETINGS}/{greeting['id']}"),
        globex.patch(f"{GREETINGS}/{greeting['id']}", json={"message": "Hijacked"}),
        globex.delete(f"{GREETINGS}/{greeting['id']}"),
        globex.open("/hello/"),
    ):
        assert response.status_code == 404
    assert 'href="/hello/"' in acme.open("/").get_data(as_text=True)
    assert 'href="/hello/"' not in globex.open("/").get_data(as_text=True)
    page = acme.open("/hello/")
    assert page.status_code == 200 and "Acme only" in page.get_data(as_text=True)


def test_disabling_keeps_the_data(auth, tenant):
    api = auth.api(tenant)
    enable(api)
    greeting = api.post(GREETINGS, json={"message": "Still here"}).get_json()
    enable(api, False)
    assert api.get(f"{GREETINGS}/{greeting['id']}").status_code == 404
    enable(api)
    assert api.get(f"{GREETINGS}/{greeting['id']}").get_json() == greeting


def test_sales_reps_get_their_own_greetings_by_default(auth, tenant, make_user):
    enable(auth.api(tenant))
    alice, bob = make_user(tenant, "sales_rep"), make_user(tenant, "sales_rep")
    mine = alice.post(GREETINGS, json={"message": "Alice's"}).get_json()
    assert [g["id"] for g in alice.get(GREETINGS).get_json()["items"]] == [mine["id"]]
    assert bob.get(GREETINGS).get_json()["items"] == []
    assert bob.get(f"{GREETINGS}/{mine['id']}").status_code == 404
    assert alice.delete(f"{GREETINGS}/{mine['id']}").status_code == 403


def test_event_handler_runs_for_enabled_tenant(auth, tenant, caplog):
    caplog.set_level(logging.INFO, logger="patron_hello")
    api = auth.api(tenant)
    enable(api)
    greeting = api.post(GREETINGS, json={"message": "Logged"}).get_json()
    assert [r.getMessage() for r in caplog.records if r.name == "patron_hello"] == [
        f"greeting {greeting['id']} created in tenant {tenant.id}: Logged"
    ]
