"""The Settings pages (``/settings/<api path>``, ``/admin/…``): every setting the API accepts
has a page — compared with the OpenAPI document — and each page changes what the API then
reads, with the API's checks (permissions, validation, stale versions, modules switched off).
"""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest

from patron.records.settings import settings_sections
from patron.testing.fixtures import csrf_token_from
from patron.testing.route_walk import entity_collection, page_entities

API = "/api/v1"


class FormInputs(HTMLParser):
    """The names of a page's form controls (hidden ones left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag in ("input", "select", "textarea") and values.get("type") != "hidden":
            self.names.add(values.get("name") or "")


def inputs_of(html: str) -> set[str]:
    parser = FormInputs()
    parser.feed(html)
    return parser.names


@pytest.fixture
def admin(modules_admin):
    """The admin signed in with the modules on: ``(client, csrf token, api client)``."""
    return modules_admin


def sections(app) -> dict:
    with app.app_context():
        return {path: section for path, (_, section) in settings_sections().items()}


def properties(spec: dict, schema: dict) -> dict:
    """The properties of a (referenced) schema."""
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("properties", {})


def writable(spec: dict, schema: dict) -> set[str]:
    """The properties a request body schema accepts (read-only ones left out)."""
    return {name for name, prop in properties(spec, schema).items()
            if not prop.get("readOnly") and name not in ("version", "custom")}


def body_schema(operation: dict) -> dict:
    """The JSON body an operation takes (empty for none, or a file upload)."""
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema", {})


def settings_routes(app, spec: dict) -> dict[str, str]:
    """The API's settings, from its OpenAPI document: every collection a client adds to and
    changes (``POST`` on it, ``PATCH`` on its items) of records nobody owns that are no
    entity's (owned records — deals, quotes, a plugin's greetings — are work, not settings),
    and every singleton it reads and changes (``GET`` and ``PATCH`` on a path without an id),
    keyed by path under ``/api/v1`` with what they are (``collection`` or ``singleton``)."""
    records = {entity_collection(app, entity) for entity in page_entities(app)}
    found = {}
    for path, operations in spec["paths"].items():
        if "{" in path or path in records:
            continue
        items = spec["paths"].get(path + "/{record_id}", {})
        owned = "post" in operations and "owner_id" in properties(spec, body_schema(
            operations["post"]))
        if "post" in operations and "patch" in items and not owned:
            found[path.removeprefix(API + "/")] = "collection"
        elif "get" in operations and "patch" in operations:
            found[path.removeprefix(API + "/")] = "singleton"
    return found


def test_every_api_setting_has_a_settings_page(app, admin):
    client, _, api = admin
    spec = api.get("/openapi.json").get_json()
    declared = sections(app)
    routes = settings_routes(app, spec)
    assert {"sales/pipelines", "service/sla-policies", "webhooks", "tenant",
            "sales/pool-settings"} <= set(routes)
    assert sorted(set(routes) - set(declared)) == []
    for path in routes:
        section = declared[path]
        url = f"/admin/{section.endpoint.split('.', 1)[1].replace('_', '-')}" if (
            section.endpoint) else f"/settings/{path}"
        assert client.get(url).status_code == 200, url
    index = client.get("/admin/").get_data(as_text=True)
    for section in declared.values():
        if section.listed:
            assert str(section.label) in index.replace("&amp;", "&"), section.path


def test_every_field_the_api_accepts_has_an_input(app, admin):
    """Each settings page's form has an input for every property its API route accepts (a
    grid's cells are named ``<field>.<row>…``; a property edited by a child section, a
    pipeline's ``stages``, is on the record's page as that section's list)."""
    client, _, api = admin
    spec = api.get("/openapi.json").get_json()
    for path, kind in settings_routes(app, spec).items():
        section = sections(app).get(path)
        if section is None or section.endpoint:
            continue
        operation = spec["paths"][f"{API}/{path}"]["post" if kind == "collection" else "patch"]
        accepted = writable(spec, body_schema(operation))
        page = client.get(f"/settings/{path}/new" if kind == "collection" else
                          f"/settings/{path}")
        names = inputs_of(page.get_data(as_text=True))
        children = {child.rsplit("/", 1)[1] for child, _ in section.children}
        missing = {name for name in accepted - children
                   if name not in names and not any(n.startswith(f"{name}.") for n in names)}
        assert missing == set(), f"/settings/{path} lacks inputs for {sorted(missing)}"
    organisation = inputs_of(client.get("/admin/organisation").get_data(as_text=True))
    assert writable(spec, body_schema(spec["paths"][f"{API}/tenant"]["patch"])) <= organisation


def test_a_pipeline_is_set_up_on_its_page(admin):
    client, token, api = admin
    created = client.post("/settings/sales/pipelines/new",
                          data={"csrf_token": token, "name": "Renewals"})
    assert created.status_code == 302
    pipeline = api.get("/sales/pipelines?q=Renewals").get_json()["items"][0]
    assert created.headers["Location"] == "/settings/sales/pipelines"
    page = client.get(f"/settings/sales/pipelines/{pipeline['id']}").get_data(as_text=True)
    stages = pipeline["stages"]
    assert [s["name"] for s in stages][:2] == ["Initial contact", "Interest shown"]
    assert all(s["name"] in page for s in stages)
    add = client.get(f"/settings/sales/stages/new?pipeline_id={pipeline['id']}")
    assert f'value="{pipeline["id"]}" selected' in add.get_data(as_text=True)
    added = client.post("/settings/sales/stages/new", data={
        "csrf_token": token, "pipeline_id": pipeline["id"], "name": "Renewal signed",
        "probability": "95", "kind": "open"})
    assert added.headers["Location"] == f"/settings/sales/pipelines/{pipeline['id']}"
    order = [s["id"] for s in api.get(f"/sales/pipelines/{pipeline['id']}").get_json()["stages"]]
    assert api.get(f"/sales/stages/{order[-1]}").get_json()["name"] == "Renewal signed"
    moved = [order[-1], *order[:-1]]
    response = client.post("/settings/sales/stages/order", headers={"HX-Request": "true"},
                           data={"csrf_token": token, "order": moved})
    assert response.status_code == 204
    after = api.get(f"/sales/pipelines/{pipeline['id']}").get_json()["stages"]
    assert [s["id"] for s in after] == moved and after[0]["position"] == 1


def test_a_price_lists_prices_are_edited_on_its_page(admin):
    client, token, api = admin
    product = api.post("/products", json={"name": "Widget", "sku": "W-1"}).get_json()
    client.post("/settings/sales/price-lists/new",
                data={"csrf_token": token, "name": "Trade", "currency": "EUR", "active": "y"})
    price_list = api.get("/sales/price-lists?q=Trade").get_json()["items"][0]
    page = f"/settings/sales/price-lists/{price_list['id']}"
    added = client.post(f"{page}/items", data={"csrf_token": token,
                                               "product_id": product["id"], "unit_price": "12.50"})
    assert added.headers["Location"] == page
    items = api.get(f"/sales/price-lists/{price_list['id']}/items").get_json()["items"]
    assert [(i["product_id"], Decimal(i["unit_price"])) for i in items] == [
        (product["id"], Decimal("12.50"))]
    again = client.post(f"{page}/items", data={"csrf_token": token,
                                               "product_id": product["id"], "unit_price": "9"})
    assert again.status_code == 422
    assert "already has a price here" in again.get_data(as_text=True)
    assert "Widget" in client.get(page).get_data(as_text=True)  # the product by name
    item = items[0]["id"]
    changed = client.post(f"{page}/items/{item}", data={"csrf_token": token,
                                                        "product_id": product["id"],
                                                        "unit_price": "11"})
    assert changed.status_code == 302
    assert Decimal(api.get(f"/sales/price-lists/{price_list['id']}/items").get_json()[
        "items"][0]["unit_price"]) == 11
    client.post(f"{page}/items/{item}/delete", data={"csrf_token": token})
    assert api.get(f"/sales/price-lists/{price_list['id']}/items").get_json()["items"] == []


def test_grids_save_sla_targets_and_claim_limits(admin):
    client, token, api = admin
    policy = api.get("/service/sla-policies?is_default=true").get_json()["items"][0]
    page = f"/settings/service/sla-policies/{policy['id']}"
    form = {"csrf_token": token, "version": str(policy["version"]), "name": policy["name"],
            "is_default": "y", "warn_minutes": "30",
            "targets.high.first_response_minutes": "45",
            "targets.high.resolution_minutes": "300"}
    wrong = client.post(page, data={**form, "targets.high.resolution_minutes": "soon"})
    assert wrong.status_code == 422 and "Enter a whole number." in wrong.get_data(as_text=True)
    assert api.get(f"/service/sla-policies/{policy['id']}").get_json() == policy
    assert client.post(page, data=form).status_code == 302
    saved = api.get(f"/service/sla-policies/{policy['id']}").get_json()
    assert saved["targets"] == {"high": {"first_response_minutes": 45,
                                         "resolution_minutes": 300}}
    stale = client.post(page, data=form)
    assert stale.status_code == 409
    rep_role = api.get("/roles?key=sales_rep").get_json()["items"][0]
    settings = api.get("/sales/pool-settings").get_json()
    limits = client.post("/settings/sales/pool-settings", data={
        "csrf_token": token, "version": str(settings["version"]),
        f"claim_limits.{rep_role['id']}": "3"})
    assert limits.status_code == 302
    assert api.get("/sales/pool-settings").get_json()["claim_limits"] == {rep_role["id"]: 3}
    assert f'name="claim_limits.{rep_role["id"]}" value="3"' in client.get(
        "/settings/sales/pool-settings").get_data(as_text=True)


def test_times_and_weekdays_are_entered_as_people_say_them(admin):
    client, token, api = admin
    response = client.post("/settings/service/business-hours/new", data={
        "csrf_token": token, "weekday": "5", "start_minute": "08:30", "end_minute": "12:00"})
    assert response.status_code == 302
    saturday = api.get("/service/business-hours?weekday=5").get_json()["items"]
    assert [(h["start_minute"], h["end_minute"]) for h in saturday] == [(510, 720)]
    week = client.get("/settings/service/business-hours").get_data(as_text=True)
    assert 'name="day.5.0.from" value="08:30"' in week
    row = client.get(f"/settings/service/business-hours/{saturday[0]['id']}").get_data(
        as_text=True)
    assert "<h1 class=\"h3 mb-3\">Saturday</h1>" in row
    assert 'name="start_minute" value="08:30"' in row
    technician = client.get("/records/technician/new").get_data(as_text=True)
    assert 'name="working_hours.sat.from" value="08:30"' in technician
    assert 'name="working_hours.mon.to" value="17:00"' in technician
    assert 'name="working_hours.sun.from" value=""' in technician


def test_settings_follow_permissions_and_modules(admin, auth, tenant, make_user, switch_module):
    client, token, api = admin
    rep = auth.app.test_client()
    make_user(tenant, role="sales_rep", email="rep@acme.test")
    auth.login(tenant, email="rep@acme.test", client=rep)
    assert rep.get("/settings/sales/pipelines").status_code == 200  # reps read pipelines
    assert rep.post("/settings/sales/pipelines/new", data={
        "csrf_token": csrf_token_from(rep.get("/").get_data(as_text=True)),
        "name": "Mine"}).status_code == 403
    assert rep.get("/settings/webhooks").status_code == 403
    assert api.get("/sales/pipelines?q=Mine").get_json()["items"] == []
    switch_module(api, "sales", enabled=False)
    assert client.get("/settings/sales/pipelines").status_code == 404
    assert "/settings/sales/" not in client.get("/admin/").get_data(as_text=True)
    assert "/settings/service/queues" in client.get("/admin/").get_data(as_text=True)


def test_business_hours_are_set_as_a_week(admin):
    client, token, api = admin
    before = api.get("/service/business-hours?sort=weekday").get_json()["items"]
    assert [(h["weekday"], h["start_minute"], h["end_minute"]) for h in before] == [
        (day, 540, 1020) for day in range(5)]
    page = "/settings/service/business-hours"
    week = client.get(page).get_data(as_text=True)
    assert 'name="day.0.0.from" value="09:00"' in week and 'name="day.0.1.from" value=""' in week
    grid = {"csrf_token": token}
    for day in range(5):  # a lunch break on weekdays, Friday short, Saturday morning
        grid |= {f"day.{day}.0.from": "08:00", f"day.{day}.0.to": "12:00",
                 f"day.{day}.1.from": "13:00", f"day.{day}.1.to": "17:30"}
    grid |= {"day.4.1.to": "15:00", "day.5.0.from": "09:00", "day.5.0.to": "12:00"}
    for wrong, message in (({"day.2.1.to": ""}, "Give the time it opens and the time it closes."),
                           ({"day.2.1.to": "12:30"}, "A period must end after it starts."),
                           ({"day.2.1.from": "11:00"}, "Periods of a day may not overlap."),
                           ({"day.2.1.from": "25:00"}, "Give the time it opens")):
        refused = client.post(page, data={**grid, **wrong})
        assert refused.status_code == 422, wrong
        assert message in refused.get_data(as_text=True)
        assert api.get("/service/business-hours?sort=weekday").get_json()["items"] == before
    saved = client.post(page, data=grid)
    assert saved.status_code == 302
    after = api.get("/service/business-hours?sort=weekday,start_minute").get_json()["items"]
    assert [(h["weekday"], h["start_minute"], h["end_minute"]) for h in after] == [
        *[(day, start, end) for day in range(4) for start, end in ((480, 720), (780, 1050))],
        (4, 480, 720), (4, 780, 900), (5, 540, 720)]
    # Saving the same week again changes nothing; emptying a day closes it.
    again = api.get("/service/business-hours?sort=weekday,start_minute").get_json()["items"]
    assert client.post(page, data=grid).status_code == 302
    assert api.get("/service/business-hours?sort=weekday,start_minute").get_json()[
        "items"] == again
    closed = {**grid, "day.5.0.from": "", "day.5.0.to": ""}
    assert client.post(page, data=closed).status_code == 302
    assert api.get("/service/business-hours?weekday=5").get_json()["items"] == []
    audit = api.get("/audit-events?entity=business_hours&action=delete").get_json()["items"]
    assert len(audit) == 6  # five weekdays' old hours, then Saturday
