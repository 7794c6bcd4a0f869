"""The customer master: accounts, contacts, products, the activity timeline and the 360° view."""

from __future__ import annotations

import pytest

from patron.testing.route_walk import Multipart, request_body


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    """``gated`` contributes a panel to the 360° view of tenants that enabled it."""
    return [fake_plugin("gated")]


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


def created(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def refused(response, *fields: str, status: int = 422) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(fields) <= set(body.get("errors", {})), body
    return body


def names(api, path: str, key: str = "name") -> list:
    return sorted(item[key] for item in api.get(path).get_json()["items"])


# ---- accounts ------------------------------------------------------------------------------


def test_account_fields_round_trip(api):
    department = created(api.post("/departments", json={"name": "Key accounts"}))
    sent = {"name": "Acme GmbH", "kind": "company", "status": "active", "industry": "Retail",
            "size": "50-249", "website": "https://acme.example", "domain": "acme.example",
            "phone": "+49 30 1234", "department_id": department["id"],
            "addresses": [{"kind": "billing", "street": "Hauptstr. 1", "city": "Berlin",
                           "region": None, "postcode": "10115", "country": "DE"}]}
    account = created(api.post("/accounts", json=sent))
    assert {k: account[k] for k in sent} == sent
    assert api.get(f"/accounts/{account['id']}").get_json() == account
    minimal = created(api.post("/accounts", json={"name": "Jane Doe", "kind": "individual"}))
    assert (minimal["status"], minimal["addresses"], minimal["parent_id"]) == ("prospect", [], None)
    assert names(api, "/accounts?status=active") == ["Acme GmbH"]


def test_invalid_accounts_are_refused_and_nothing_is_stored(api):
    refused(api.post("/accounts", json={"name": "X", "status": "lost", "size": "huge",
                                        "addresses": [{"kind": "home", "country": "Germany"}]}),
            "status", "size", "addresses")
    refused(api.post("/accounts", json={"name": "X", "department_id":
                                        "01890a5d-ac96-774b-bcce-b302099a8057"}),
            "department_id")
    assert api.get("/accounts?count=true").get_json()["total"] == 0


def test_account_hierarchy_refuses_cycles(api, auth, other_tenant):
    group = created(api.post("/accounts", json={"name": "Group"}))
    region = created(api.post("/accounts", json={"name": "Region", "parent_id": group["id"]}))
    branch = created(api.post("/accounts", json={"name": "Branch", "parent_id": region["id"]}))
    assert names(api, f"/accounts?parent_id={group['id']}") == ["Region"]
    for parent in (branch, region, group):
        refused(api.patch(f"/accounts/{group['id']}", json={"parent_id": parent["id"]}),
                "parent_id")
    assert api.patch(f"/accounts/{branch['id']}", json={"parent_id": group["id"]}
                     ).status_code == 200
    neighbours = created(auth.api(other_tenant).post("/accounts", json={"name": "Elsewhere"}))
    refused(api.patch(f"/accounts/{group['id']}", json={"parent_id": neighbours["id"]}),
            "parent_id")
    assert api.get(f"/accounts/{group['id']}").get_json()["parent_id"] is None


def test_an_account_in_use_cannot_be_deleted(api):
    account = created(api.post("/accounts", json={"name": "Busy"}))
    contact = created(api.post("/contacts", json={"last_name": "Doe",
                                                  "account_id": account["id"]}))
    conflict = api.delete(f"/accounts/{account['id']}")
    assert conflict.status_code == 409 and "contacts" in conflict.get_json()["detail"]
    assert api.delete(f"/contacts/{contact['id']}").status_code == 204
    assert api.delete(f"/accounts/{account['id']}").status_code == 204


# ---- contacts ------------------------------------------------------------------------------


def test_contact_emails_keep_one_primary_address(api):
    contact = created(api.post("/contacts", json={
        "first_name": "Jane", "last_name": "Doe", "title": "CFO",
        "emails": ["Jane@Acme.example", "jd@home.example"], "phones": ["+1 555 0100"]}))
    assert contact["email"] == "jane@acme.example" and contact["full_name"] == "Jane Doe"
    assert [c["id"] for c in api.get("/contacts?email=jane@acme.example").get_json()["items"]
            ] == [contact["id"]]
    changed = api.patch(f"/contacts/{contact['id']}", json={"email": "jane@new.example"})
    assert changed.get_json()["emails"] == ["jane@new.example", "jd@home.example"]
    reordered = api.patch(f"/contacts/{contact['id']}",
                          json={"emails": ["jd@home.example"]}).get_json()
    assert reordered["email"] == "jd@home.example"
    refused(api.post("/contacts", json={"last_name": "X", "emails": ["not-an-address"],
                                        "phones": ["call me"]}), "emails", "phones")


def test_consent_changes_are_timestamped(api):
    contact = created(api.post("/contacts", json={"last_name": "Doe"}))
    assert contact["consent_updated_at"] is None and contact["email_opt_in"] is False
    opted_in = api.patch(f"/contacts/{contact['id']}", json={"email_opt_in": True}).get_json()
    assert opted_in["consent_updated_at"] is not None
    renamed = api.patch(f"/contacts/{contact['id']}", json={"email_opt_in": True,
                                                            "title": "CEO"}).get_json()
    assert renamed["consent_updated_at"] == opted_in["consent_updated_at"]
    assert names(api, "/contacts?email_opt_in=true", "last_name") == ["Doe"]


def test_custom_fields_on_contacts(api):
    created(api.post("/custom-fields", json={"entity": "contact", "name": "linkedin",
                                             "label": "LinkedIn", "type": "url"}))
    contact = created(api.post("/contacts", json={
        "last_name": "Doe", "custom": {"linkedin": "https://linkedin.example/jd"}}))
    assert contact["custom"] == {"linkedin": "https://linkedin.example/jd"}
    refused(api.post("/contacts", json={"last_name": "X", "custom": {"linkedin": "nope"}}),
            "custom")
    assert names(api, "/contacts?custom.linkedin__contains=jd", "last_name") == ["Doe"]


# ---- data scopes ---------------------------------------------------------------------------


def test_reps_see_only_their_own_contacts_and_activities(api, tenant, make_user):
    reps = [make_user(tenant, "sales_rep"), make_user(tenant, "sales_rep")]
    records = []
    for number, rep in enumerate(reps):
        account = created(rep.post("/accounts", json={"name": f"Account {number}"}))
        contact = created(rep.post("/contacts", json={"last_name": f"Contact {number}",
                                                      "account_id": account["id"]}))
        activity = created(rep.post("/activities", json={
            "kind": "call_out", "subject": f"Call {number}", "contact_id": contact["id"]}))
        records.append((account, contact, activity))
    first, second = reps
    assert names(first, "/contacts", "last_name") == ["Contact 0"]
    assert names(first, "/activities", "subject") == ["Call 0"]
    _, their_contact, their_activity = records[1]
    for path in (f"/contacts/{their_contact['id']}", f"/activities/{their_activity['id']}"):
        assert first.get(path).status_code == 404
        assert first.patch(path, json={}).status_code == 404
    refused(first.post("/activities", json={"kind": "note", "subject": "Peek",
                                            "contact_id": their_contact["id"]}), "contact_id")
    refused(first.post("/contacts", json={"last_name": "Mine",
                                          "account_id": records[1][0]["id"]}), "account_id")
    assert len(api.get("/contacts").get_json()["items"]) == 2


# ---- products ------------------------------------------------------------------------------


def test_product_prices_are_decimal_strings_in_a_currency(api):
    product = created(api.post("/products", json={"sku": "W-1", "name": "Widget",
                                                  "list_price": "19.99", "unit": "box"}))
    assert (product["list_price"], product["currency"], product["active"]) == (
        "19.9900", "USD", True)
    euro = created(api.post("/products", json={"sku": "W-2", "name": "Euro widget",
                                               "list_price": "1000", "currency": "EUR"}))
    assert euro["list_price"] == "1000.0000"
    assert names(api, "/products?list_price__gte=100") == ["Euro widget"]
    refused(api.post("/products", json={"sku": "W-3", "name": "Bad", "list_price": "1.23456",
                                        "currency": "euro"}), "list_price", "currency")
    refused(api.post("/products", json={"sku": "W-3", "name": "Bad", "list_price": "-1"}),
            "list_price")


def test_sku_is_unique_per_tenant(api, auth, other_tenant):
    first = created(api.post("/products", json={"sku": "SKU-1", "name": "One"}))
    created(api.post("/products", json={"sku": "SKU-2", "name": "Two"}))
    refused(api.post("/products", json={"sku": "SKU-1", "name": "Again"}), "sku")
    refused(api.patch(f"/products/{first['id']}", json={"sku": "SKU-2"}), "sku")
    assert api.patch(f"/products/{first['id']}", json={"sku": "SKU-1", "name": "Uno"}
                     ).status_code == 200
    created(auth.api(other_tenant).post("/products", json={"sku": "SKU-1", "name": "Theirs"}))
    assert names(api, "/products") == ["Two", "Uno"]


def test_everyone_reads_products_but_only_managers_change_them(api, tenant, make_user):
    product = created(api.post("/products", json={"sku": "P", "name": "Product"}))
    for role in ("sales_rep", "service_agent", "technician", "marketer", "read_only"):
        user = make_user(tenant, role)
        assert user.get(f"/products/{product['id']}").status_code == 200, role
        assert user.post("/products", json={"sku": role, "name": role}).status_code == 403
    manager = make_user(tenant, "sales_manager")
    assert manager.patch(f"/products/{product['id']}", json={"active": False}).status_code == 200


# ---- activities ----------------------------------------------------------------------------


def test_timeline_links_and_filters(api):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    contact = created(api.post("/contacts", json={"last_name": "Doe",
                                                  "account_id": account["id"]}))
    product = created(api.post("/products", json={"sku": "D", "name": "Demo kit"}))
    meeting = created(api.post("/activities", json={
        "kind": "meeting", "subject": "Kick-off", "account_id": account["id"],
        "start_at": "2030-01-01T09:00:00+01:00", "end_at": "2030-01-01T10:00:00+01:00",
        "cost": "12.5", "priority": "high"}))
    assert (meeting["status"], meeting["cost"], meeting["currency"]) == ("open", "12.5000", "USD")
    assert meeting["start_at"] == "2030-01-01T08:00:00+00:00"
    call = created(api.post("/activities", json={"kind": "call_in", "subject": "Question",
                                                 "contact_id": contact["id"]}))
    assert call["account_id"] == account["id"]  # the contact's account shares the timeline
    demo = created(api.post("/activities", json={
        "kind": "visit", "subject": "Demo", "related_entity": "product",
        "related_id": product["id"]}))
    created(api.post("/activities", json={"kind": "note", "subject": "Elsewhere"}))
    subjects = lambda query: names(api, f"/activities?{query}", "subject")  # noqa: E731
    assert subjects(f"account_id={account['id']}") == ["Kick-off", "Question"]
    assert subjects(f"contact_id={contact['id']}") == ["Question"]
    assert subjects(f"related_entity=product&related_id={product['id']}") == ["Demo"]
    assert subjects("kind__in=meeting,visit&sort=-created_at") == ["Demo", "Kick-off"]
    done = api.patch(f"/activities/{demo['id']}", json={"status": "done", "outcome": "Won"})
    assert done.get_json()["status"] == "done"


def test_invalid_activities_are_refused(api):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    refused(api.post("/activities", json={"kind": "fax", "subject": ""}), "kind", "subject")
    refused(api.post("/activities", json={"kind": "task", "subject": "Backwards",
                                          "start_at": "2030-01-02T00:00:00+00:00",
                                          "end_at": "2030-01-01T00:00:00+00:00"}), "end_at")
    refused(api.post("/activities", json={"kind": "task", "subject": "Half a link",
                                          "related_entity": "account"}), "related_id")
    refused(api.post("/activities", json={"kind": "task", "subject": "Nowhere",
                                          "related_entity": "planet",
                                          "related_id": account["id"]}), "related_entity")
    refused(api.post("/activities", json={"kind": "task", "subject": "Wrong kind of record",
                                          "related_entity": "contact",
                                          "related_id": account["id"]}), "related_id")
    assert api.get("/activities?count=true").get_json()["total"] == 0


def test_a_logged_call_is_done_and_a_planned_one_is_open(api):
    """Logging a call, a mail or a note records what happened: it is done, not open work;
    one planned for later, a task, or a status given stay as they are."""
    later = "2099-01-01T09:00:00+00:00"
    cases = [({"kind": "call_out"}, "done"), ({"kind": "call_in"}, "done"),
             ({"kind": "email"}, "done"), ({"kind": "note"}, "done"),
             ({"kind": "call_out", "due_at": later}, "open"), ({"kind": "task"}, "open"),
             ({"kind": "meeting"}, "open"), ({"kind": "call_out", "status": "open"}, "open")]
    for fields, status in cases:
        made = created(api.post("/activities", json={"subject": "Logged", **fields}))
        assert made["status"] == status, fields


# ---- the 360° view -------------------------------------------------------------------------


def _enable_gated(client) -> None:
    assert client.put("/modules/gated", json={"enabled": True}).status_code == 200


def test_account_360_gathers_the_account_and_panels_of_enabled_modules(
        api, auth, tenant, other_tenant, make_user):
    _enable_gated(api)
    account = created(api.post("/accounts", json={"name": "Acme"}))
    contact = created(api.post("/contacts", json={"last_name": "Doe",
                                                  "account_id": account["id"]}))
    created(api.post("/activities", json={"kind": "note", "subject": "Met them",
                                          "contact_id": contact["id"]}))
    created(api.post("/attachments", **request_body(Multipart(
        {"parent_entity": "account", "parent_id": account["id"]},
        {"file": (b"terms", "terms.txt")}))))
    view = api.get(f"/accounts/{account['id']}/360").get_json()
    assert view["account"]["name"] == "Acme"
    assert [c["last_name"] for c in view["contacts"]["items"]] == ["Doe"]
    assert [a["subject"] for a in view["activities"]["items"]] == ["Met them"]
    assert [f["filename"] for f in view["attachments"]["items"]] == ["terms.txt"]
    assert view["panels"] == [{"key": "gated.summary", "title": "Gated summary",
                               "data": {"account": "Acme", "viewer": tenant.admin_email}}]

    neighbour = auth.api(other_tenant)
    theirs = created(neighbour.post("/accounts", json={"name": "Globex"}))
    assert neighbour.get(f"/accounts/{theirs['id']}/360").get_json()["panels"] == []
    assert neighbour.get(f"/accounts/{account['id']}/360").status_code == 404

    rep = make_user(tenant, "sales_rep")  # lacks gated.things.read
    own = created(rep.post("/accounts", json={"name": "Rep's"}))
    assert rep.get(f"/accounts/{own['id']}/360").get_json()["panels"] == []
    assert rep.get(f"/accounts/{account['id']}/360").status_code == 404


def test_360_sections_need_their_own_permission(api, tenant, make_user):
    role = {"key": "accounts_only", "name": "Accounts only",
            "permissions": ["core.accounts.read"], "default_scope": "all"}
    created(api.post("/roles", json=role))
    account = created(api.post("/accounts", json={"name": "Acme"}))
    view = make_user(tenant, "accounts_only").get(f"/accounts/{account['id']}/360").get_json()
    assert view["account"]["id"] == account["id"]
    assert (view["contacts"], view["activities"], view["attachments"]) == (None, None, None)


def test_new_resources_are_documented(api):
    spec = api.open("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/contacts", "/api/v1/products", "/api/v1/activities",
                 "/api/v1/attachments", "/api/v1/accounts/{record_id}/360",
                 "/api/v1/attachments/{record_id}/content"):
        assert path in spec["paths"], path
    upload = spec["paths"]["/api/v1/attachments"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
