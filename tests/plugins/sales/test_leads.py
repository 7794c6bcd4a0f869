"""Leads: CRUD with custom fields and scopes, and conversion into account, contact and deal."""

from __future__ import annotations

import logging

LEADS = "/sales/leads"


def _lead(api, **fields) -> dict:
    response = api.post(LEADS, json={"last_name": "Lumbergh", **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _counts(api) -> dict[str, int]:
    return {path: api.get(f"{path}?count=true").get_json()["total"]
            for path in ("/accounts", "/contacts", "/sales/opportunities")}


def test_lead_crud_with_custom_fields(admin):
    field = admin.post("/custom-fields", json={"entity": "lead", "name": "budget",
                                               "label": "Budget", "type": "number"})
    assert field.status_code == 201, field.get_json()
    lead = _lead(admin, first_name="Bill", company="Initech", email="bill@initech.test",
                 source="web", rating="hot", score=80, custom={"budget": 5000})
    assert lead["status"] == "new" and lead["owner_id"] == admin.user_id
    assert lead["full_name"] == "Bill Lumbergh" and lead["custom"] == {"budget": 5000}
    assert lead["account_id"] is None and lead["converted_at"] is None
    version = lead["version"]
    changed = admin.patch(f"{LEADS}/{lead['id']}", json={"status": "working",
                                                         "version": version})
    assert changed.status_code == 200 and changed.get_json()["version"] == version + 1
    stale = admin.patch(f"{LEADS}/{lead['id']}", json={"score": 1, "version": version})
    assert stale.status_code == 409
    assert [x["id"] for x in admin.get(f"{LEADS}?status=working").get_json()["items"]] == [
        lead["id"]]
    assert admin.get(f"{LEADS}?custom.budget__gte=4000").get_json()["items"][0]["id"] == (
        lead["id"])
    assert admin.get(f"{LEADS}?q=initech").get_json()["items"][0]["id"] == lead["id"]
    assert admin.delete(f"{LEADS}/{lead['id']}").status_code == 204
    assert admin.get(f"{LEADS}/{lead['id']}").status_code == 404


def test_bad_lead_input_is_422_with_field_messages(admin):
    response = admin.post(LEADS, json={"last_name": "", "status": "hot", "rating": "x",
                                       "email": "nope", "phone": "call me",
                                       "custom": {"unknown": 1}})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert {"last_name", "status", "rating", "email", "phone"} <= set(errors)
    assert admin.get(f"{LEADS}?count=true").get_json()["total"] == 0
    assert admin.post(LEADS, json={"last_name": "X", "account_id": None}).status_code == 422


def test_reps_see_their_own_leads_and_managers_their_departments(admin, tenant, make_user):
    sales = admin.post("/departments", json={"name": "Sales"}).get_json()["id"]
    manager = make_user(tenant, "sales_manager", department_id=sales)
    alice = make_user(tenant, "sales_rep", department_id=sales)
    bob = make_user(tenant, "sales_rep")
    mine = _lead(alice, last_name="Alice's")
    _lead(bob, last_name="Bob's")
    assert [x["last_name"] for x in alice.get(LEADS).get_json()["items"]] == ["Alice's"]
    assert bob.get(f"{LEADS}/{mine['id']}").status_code == 404
    assert bob.patch(f"{LEADS}/{mine['id']}", json={"score": 3}).status_code == 404
    assert bob.post(f"{LEADS}/{mine['id']}/convert", json={}).status_code == 404
    assert [x["last_name"] for x in manager.get(LEADS).get_json()["items"]] == ["Alice's"]
    assert alice.delete(f"{LEADS}/{mine['id']}").status_code == 403


def test_convert_creates_account_contact_and_deal_in_one_go(admin, stages, caplog):
    lead = _lead(admin, first_name="Peter", last_name="Gibbons", company="Chotchkie's",
                 domain="chotchkies.test", email="Peter@Chotchkies.test", phone="+1 555 0100",
                 title="Engineer", source="trade show")
    caplog.set_level(logging.INFO)
    response = admin.post(f"{LEADS}/{lead['id']}/convert", json={"opportunity": {
        "amount": "12000.50", "currency": "USD", "expected_close_date": "2027-03-31",
        "stage_id": stages["Interest shown"]["id"]}})
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert result["account_created"] is True and result["contact_created"] is True
    account = admin.get(f"/accounts/{result['account_id']}").get_json()
    assert (account["name"], account["domain"], account["kind"]) == (
        "Chotchkie's", "chotchkies.test", "company")
    contact = admin.get(f"/contacts/{result['contact_id']}").get_json()
    assert (contact["full_name"], contact["email"], contact["account_id"]) == (
        "Peter Gibbons", "peter@chotchkies.test", account["id"])
    deal = admin.get(f"/sales/opportunities/{result['opportunity_id']}").get_json()
    assert (deal["name"], deal["account_id"], deal["amount"], deal["currency"]) == (
        "Chotchkie's", account["id"], "12000.5000", "USD")
    assert (deal["stage_id"], deal["probability"], deal["source"]) == (
        stages["Interest shown"]["id"], 15, "trade show")
    converted = admin.get(f"{LEADS}/{lead['id']}").get_json()
    assert converted["status"] == "converted" and converted["converted_at"]
    assert (converted["account_id"], converted["contact_id"], converted["opportunity_id"]) == (
        account["id"], contact["id"], deal["id"])
    assert result["lead"] == converted
    roles = admin.get(f"/sales/opportunities/{deal['id']}/contacts").get_json()["items"]
    assert [(r["contact_id"], r["is_primary"]) for r in roles] == [(contact["id"], True)]
    again = admin.post(f"{LEADS}/{lead['id']}/convert", json={})
    assert again.status_code == 409


def test_convert_links_the_duplicates_it_finds(admin, account):
    contact = admin.post("/contacts", json={"last_name": "Smykowski",
                                            "email": "tom@initech.test"}).get_json()
    by_domain = _lead(admin, last_name="Smykowski", company="Initech Corp",
                      domain="INITECH.test", email="TOM@initech.test")
    result = admin.post(f"{LEADS}/{by_domain['id']}/convert", json={}).get_json()
    assert (result["account_id"], result["account_created"]) == (account["id"], False)
    assert (result["contact_id"], result["contact_created"]) == (contact["id"], False)
    assert result["opportunity_id"] is None
    by_name = _lead(admin, last_name="Waddams", company="initech")
    result = admin.post(f"{LEADS}/{by_name['id']}/convert", json={}).get_json()
    assert (result["account_id"], result["account_created"]) == (account["id"], False)
    assert result["contact_created"] is True
    assert admin.get("/accounts?count=true").get_json()["total"] == 1


def test_convert_to_a_named_account_and_an_individual(admin, account):
    named = _lead(admin, last_name="Named", company="Somebody Else")
    result = admin.post(f"{LEADS}/{named['id']}/convert",
                        json={"account_id": account["id"]}).get_json()
    assert result["account_id"] == account["id"]
    person = _lead(admin, first_name="Milton", last_name="Waddams")
    result = admin.post(f"{LEADS}/{person['id']}/convert", json={}).get_json()
    created = admin.get(f"/accounts/{result['account_id']}").get_json()
    assert (created["name"], created["kind"]) == ("Milton Waddams", "individual")


def test_bad_conversion_is_422_and_changes_nothing(admin, auth, other_tenant, stages):
    lead = _lead(admin, company="Half Done Inc", email="half@done.test")
    before = _counts(admin)
    foreign = auth.api(other_tenant).post("/accounts", json={"name": "Theirs"}).get_json()
    for body, field in (
        ({"account_id": foreign["id"]}, "account_id"),
        ({"opportunity": {"stage_id": foreign["id"]}}, "opportunity"),
        ({"opportunity": {"amount": "-1"}}, "opportunity"),
        ({"contact_id": "not-a-uuid"}, "contact_id"),
        ({"surprise": True}, "surprise"),
    ):
        response = admin.post(f"{LEADS}/{lead['id']}/convert", json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["errors"], response.get_json()
    assert _counts(admin) == before
    unchanged = admin.get(f"{LEADS}/{lead['id']}").get_json()
    assert unchanged == lead


def test_required_account_custom_field_fails_conversion_cleanly(admin):
    admin.post("/custom-fields", json={"entity": "account", "name": "region", "label": "Region",
                                       "type": "text", "required": True})
    lead = _lead(admin, company="Needs Region")
    before = _counts(admin)
    response = admin.post(f"{LEADS}/{lead['id']}/convert", json={})
    assert response.status_code == 422
    assert "account" in response.get_json()["errors"]
    assert _counts(admin) == before


def test_disqualified_lead_is_not_converted(admin):
    lead = _lead(admin, status="disqualified")
    assert admin.post(f"{LEADS}/{lead['id']}/convert", json={}).status_code == 409


def test_conversion_needs_the_permissions_it_uses(admin, tenant, make_user):
    reader = make_user(tenant, "read_only")
    lead = _lead(admin)
    assert reader.post(f"{LEADS}/{lead['id']}/convert", json={}).status_code == 403
