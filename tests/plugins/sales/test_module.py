"""The sales module as a plugin: listed, off until enabled, seeded, gated and granted."""

from __future__ import annotations

from patron.testing.fixtures import make_tenant

CLASSIC = [("Initial contact", 5, "open"), ("Interest shown", 15, "open"),
           ("Meeting the decision maker", 30, "open"), ("Needs identified", 40, "open"),
           ("Solution proposed", 50, "open"), ("Demonstration", 60, "open"),
           ("Evaluation and revision", 70, "open"), ("Verbal commitment", 80, "open"),
           ("Contract negotiation", 90, "open"), ("Won", 100, "won"), ("Lost", 0, "lost")]


def test_installed_off_by_default_and_absent_until_enabled(auth, tenant):
    api = auth.api(tenant)
    modules = {m["name"]: m for m in api.get("/modules").get_json()["items"]}
    assert modules["sales"]["enabled"] is False and modules["sales"]["label"] == "Sales"
    for path in ("/sales/leads", "/sales/opportunities", "/sales/pipelines", "/sales/forecast",
                 "/sales/funnel"):
        assert api.get(path).status_code == 404
    assert api.post("/sales/leads", json={"last_name": "Early"}).status_code == 404


def test_enabling_seeds_the_classic_funnel_once(auth, tenant, switch_module):
    api = auth.api(tenant)
    switch_module(api, "sales")
    pipelines = api.get("/sales/pipelines").get_json()["items"]
    assert [(p["name"], p["is_default"]) for p in pipelines] == [("Sales", True)]
    stages = pipelines[0]["stages"]
    assert [(s["name"], s["probability"], s["kind"]) for s in stages] == CLASSIC
    assert [s["position"] for s in stages] == list(range(1, 12))
    switch_module(api, "sales", False)
    switch_module(api, "sales")
    assert len(api.get("/sales/pipelines").get_json()["items"]) == 1


def test_the_funnel_is_seeded_in_the_tenants_language(app, auth, switch_module):
    tenant = make_tenant(app, "huaxia", locale="zh_Hans")
    api = auth.api(tenant)
    switch_module(api, "sales")
    pipeline = api.get("/sales/pipelines").get_json()["items"][0]
    assert pipeline["name"] == "销售"
    assert [s["name"] for s in pipeline["stages"]][:3] == ["初步接触", "表达兴趣", "会见决策人"]
    assert [s["name"] for s in pipeline["stages"]][-2:] == ["赢单", "输单"]


def test_other_tenant_without_the_module_sees_nothing(admin, auth, other_tenant, account):
    lead = admin.post("/sales/leads", json={"last_name": "Only-acme"}).get_json()
    globex = auth.api(other_tenant)
    assert globex.get(f"/sales/leads/{lead['id']}").status_code == 404
    assert globex.get("/sales/leads").status_code == 404
    assert 'href="/records/lead/"' in admin.open("/").get_data(as_text=True)
    assert 'href="/records/lead/"' not in globex.open("/").get_data(as_text=True)
    panels = globex.get(f"/accounts/{account['id']}/360")
    assert panels.status_code == 404


def test_disabling_keeps_the_data(admin, switch_module):
    lead = admin.post("/sales/leads", json={"last_name": "Kept"}).get_json()
    switch_module(admin, "sales", False)
    assert admin.get(f"/sales/leads/{lead['id']}").status_code == 404
    assert 'href="/records/lead/"' not in admin.open("/").get_data(as_text=True)
    switch_module(admin, "sales")
    assert admin.get(f"/sales/leads/{lead['id']}").get_json() == lead


def test_permissions_and_default_role_grants(admin):
    roles = {r["key"]: r for r in admin.get("/roles?limit=200").get_json()["items"]}
    rep, manager = roles["sales_rep"], roles["sales_manager"]
    assert "sales.leads.convert" in rep["permissions"]
    assert "sales.opportunities.delete" not in rep["permissions"]
    assert rep["scopes"]["sales.opportunities"] == "own"
    assert "sales.opportunities.delete" in manager["permissions"]
    assert manager["scopes"]["sales.leads"] == "department_tree"
    assert "sales.forecast.read" in roles["read_only"]["permissions"]


def test_read_only_reads_but_cannot_write(admin, tenant, make_user):
    reader = make_user(tenant, "read_only")
    assert reader.get("/sales/leads").status_code == 200
    assert reader.post("/sales/leads", json={"last_name": "Nope"}).status_code == 403


def test_records_pages_and_openapi_show_the_module(admin):
    lead = admin.post("/sales/leads", json={"last_name": "Paged", "company": "Pages Ltd"})
    assert lead.status_code == 201
    page = admin.open("/records/lead/")
    assert page.status_code == 200 and "Pages Ltd" in page.get_data(as_text=True)
    paths = admin.get("/openapi.json").get_json()["paths"]
    assert {"/api/v1/sales/leads/{record_id}/convert", "/api/v1/sales/forecast",
            "/api/v1/sales/opportunities/{record_id}/stage-history"} <= set(paths)


def test_account_panel_lists_open_deals(admin, account, stages):
    admin.post("/sales/opportunities", json={"name": "Open one", "account_id": account["id"],
                                             "amount": "100", "currency": "EUR"})
    won = admin.post("/sales/opportunities", json={
        "name": "Won one", "account_id": account["id"], "stage_id": stages["Won"]["id"]})
    assert won.status_code == 201
    panels = admin.get(f"/accounts/{account['id']}/360").get_json()["panels"]
    panel = next(p for p in panels if p["key"] == "sales.open_deals")
    assert panel["data"]["count"] == 1
    assert panel["data"]["totals"] == [{"currency": "EUR", "amount": "100.0000"}]
    assert [d["name"] for d in panel["data"]["items"]] == ["Open one"]


def test_search_finds_leads_only_where_enabled(admin, auth, other_tenant):
    admin.post("/sales/leads", json={"last_name": "Zebulon", "company": "Findable"})
    hits = admin.get("/search?q=Zebulon").get_json()["items"]
    assert [h["entity"] for h in hits] == ["lead"]
    globex = auth.api(other_tenant)
    assert globex.get("/search?q=Zebulon").get_json()["items"] == []
