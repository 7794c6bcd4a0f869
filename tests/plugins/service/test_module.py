"""The service module as a plugin: listed, off until enabled, seeded, gated and granted."""

from __future__ import annotations


def test_installed_off_by_default_and_absent_until_enabled(auth, tenant):
    api = auth.api(tenant)
    modules = {m["name"]: m for m in api.get("/modules").get_json()["items"]}
    assert modules["service"]["enabled"] is False and modules["service"]["label"] == "Service"
    assert modules["service"]["requires"] == []
    for path in ("/service/tickets", "/service/work-orders", "/service/technicians",
                 "/service/sla-policies", "/service/queues"):
        assert api.get(path).status_code == 404
    assert api.post("/service/tickets", json={"subject": "Early"}).status_code == 404


def test_enabling_seeds_business_hours_and_a_default_policy_once(auth, tenant,
                                                                  switch_module):
    api = auth.api(tenant)
    switch_module(api, "service")
    hours = api.get("/service/business-hours?sort=weekday").get_json()["items"]
    assert [(h["weekday"], h["start_minute"], h["end_minute"]) for h in hours] == [
        (day, 540, 1020) for day in range(5)]
    policies = api.get("/service/sla-policies").get_json()["items"]
    assert [(p["name"], p["is_default"]) for p in policies] == [("Standard", True)]
    assert policies[0]["targets"]["urgent"] == {"first_response_minutes": 30,
                                                "resolution_minutes": 240}
    switch_module(api, "service", False)
    switch_module(api, "service")
    assert len(api.get("/service/sla-policies").get_json()["items"]) == 1
    assert len(api.get("/service/business-hours").get_json()["items"]) == 5


def test_other_tenant_without_the_module_sees_nothing(admin, auth, other_tenant, account,
                                                      new_ticket):
    ticket = new_ticket(account_id=account["id"])
    globex = auth.api(other_tenant)
    assert globex.get(f"/service/tickets/{ticket['id']}").status_code == 404
    assert globex.get("/service/tickets").status_code == 404
    assert 'href="/records/ticket/"' in admin.open("/").get_data(as_text=True)
    assert 'href="/records/ticket/"' not in globex.open("/").get_data(as_text=True)


def test_disabling_keeps_the_data(admin, switch_module, new_ticket):
    ticket = new_ticket()
    switch_module(admin, "service", False)
    assert admin.get(f"/service/tickets/{ticket['id']}").status_code == 404
    assert 'href="/records/work_order/"' not in admin.open("/").get_data(as_text=True)
    switch_module(admin, "service")
    assert admin.get(f"/service/tickets/{ticket['id']}").get_json() == ticket


def test_permissions_and_default_role_grants(admin):
    roles = {r["key"]: r for r in admin.get("/roles?limit=200").get_json()["items"]}
    agent, technician = roles["service_agent"], roles["technician"]
    assert {"service.tickets.update", "service.work_orders.schedule"} <= set(
        agent["permissions"])
    assert agent["scopes"]["service.tickets"] == "all"
    assert "service.tickets.delete" not in agent["permissions"]
    assert "service.work_orders.update" in technician["permissions"]
    assert "service.work_orders.create" not in technician["permissions"]
    assert technician["scopes"]["service.work_orders"] == "own"
    assert "service.sla.read" in roles["read_only"]["permissions"]


def test_read_only_reads_but_cannot_write(admin, tenant, make_user):
    reader = make_user(tenant, "read_only")
    assert reader.get("/service/tickets").status_code == 200
    assert reader.post("/service/tickets", json={"subject": "Nope"}).status_code == 403


def test_account_360_shows_its_open_tickets(admin, account, new_ticket):
    urgent = new_ticket(account_id=account["id"], subject="Down", priority="urgent")
    new_ticket(account_id=account["id"], subject="Slow", priority="low")
    done = new_ticket(account_id=account["id"], subject="Fixed")
    assert admin.patch(f"/service/tickets/{done['id']}",
                       json={"status": "resolved"}).status_code == 200
    new_ticket(subject="Elsewhere")
    panels = admin.get(f"/accounts/{account['id']}/360").get_json()["panels"]
    panel = next(p for p in panels if p["key"] == "service.open_tickets")
    assert panel["data"]["count"] == 2
    assert [item["subject"] for item in panel["data"]["items"]] == ["Down", "Slow"]
    assert panel["data"]["items"][0]["id"] == urgent["id"]


def test_records_pages_search_and_openapi_show_the_module(admin, new_ticket):
    new_ticket(subject="Coffee machine leaking")
    page = admin.open("/records/ticket/")
    assert page.status_code == 200 and "Coffee machine leaking" in page.get_data(as_text=True)
    found = admin.get("/search?q=coffee").get_json()["items"]
    assert any(hit.get("entity") == "ticket" for hit in found), found
    paths = admin.get("/openapi.json").get_json()["paths"]
    assert {"/api/v1/service/tickets/{record_id}/history",
            "/api/v1/service/work-orders/{record_id}/schedule",
            "/api/v1/service/work-orders/{record_id}/parts"} <= set(paths)


def test_custom_fields_on_tickets(admin, new_ticket):
    made = admin.post("/custom-fields", json={"entity": "ticket", "name": "asset_tag",
                                              "label": "Asset tag", "type": "text"})
    assert made.status_code == 201, made.get_json()
    ticket = new_ticket(custom={"asset_tag": "A-17"})
    assert ticket["custom"] == {"asset_tag": "A-17"}
    listed = admin.get("/service/tickets?custom.asset_tag=A-17").get_json()["items"]
    assert [t["id"] for t in listed] == [ticket["id"]]


def test_the_areas_api_blueprints_share_one_prefix_and_tag(admin):
    """Each area's routes live on a blueprint nested in the module's: a created record's
    ``Location`` still names it, and the OpenAPI document files every route under one tag."""
    for path, body in (("/service/queues", {"name": "Desk"}),
                       ("/service/holidays", {"day": "2030-12-25", "name": "Christmas"}),
                       ("/service/technicians", {"name": "Tess"})):
        created = admin.post(path, json=body)
        assert created.status_code == 201, created.get_json()
        assert created.headers["Location"].endswith(f"/api/v1{path}/{created.get_json()['id']}")
    spec = admin.open("/api/v1/openapi.json").get_json()
    tags = {tag for path, operations in spec["paths"].items()
            if path.startswith("/api/v1/service/")
            for operation in operations.values() if isinstance(operation, dict)
            for tag in operation.get("tags", [])}
    assert tags == {"service"}
