"""The lead conversion dialog through the test client (the browser test clicks through it)."""

from __future__ import annotations

import re

from patron.testing.fixtures import csrf_token_from

URL = "/sales/leads/{}/convert"


def _lead(admin, **fields) -> dict:
    made = admin.post("/sales/leads", json={"first_name": "Ada", "last_name": "Byron",
                                            "company": "Initech", "domain": "initech.test",
                                            "email": "ada@initech.test", **fields})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _form(client, lead_id: str) -> tuple[str, str]:
    page = client.get(URL.format(lead_id))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html, csrf_token_from(html)


def test_dialog_suggests_the_matching_account_and_opens_a_deal(admin, account, stages, client,
                                                               auth, tenant):
    lead = _lead(admin)
    auth.login(tenant)
    html, token = _form(client, lead["id"])
    selected = re.search(r'<option value="([^"]+)" selected>Initech \(matches the lead\)', html)
    assert selected and selected.group(1) == account["id"]
    assert "A new contact: Ada Byron" in html  # nobody has the e-mail yet
    demo = stages["Demonstration"]["id"]
    done = client.post(URL.format(lead["id"]), data={
        "csrf_token": token, "account_id": account["id"], "open_deal": "y",
        "opportunity.name": "Initech rollout", "opportunity.amount": "1200",
        "opportunity.currency": "EUR", "opportunity.expected_close_date": "2030-03-31",
        "opportunity.stage_id": demo})
    assert done.status_code == 302, done.get_data(as_text=True)
    converted = admin.get(f"/sales/leads/{lead['id']}").get_json()
    assert converted["status"] == "converted" and converted["account_id"] == account["id"]
    assert done.headers["Location"] == f"/sales/deals/{converted['opportunity_id']}"
    deal = admin.get(f"/sales/opportunities/{converted['opportunity_id']}").get_json()
    assert (deal["name"], deal["amount"], deal["currency"], deal["stage_id"],
            deal["expected_close_date"]) == ("Initech rollout", "1200.0000", "EUR", demo,
                                             "2030-03-31")
    contact = admin.get(f"/contacts/{converted['contact_id']}").get_json()
    assert contact["email"] == "ada@initech.test" and contact["account_id"] == account["id"]
    again = client.get(URL.format(lead["id"])).get_data(as_text=True)
    assert 'id="already-converted"' in again and 'id="convert-form"' not in again
    twice = client.post(URL.format(lead["id"]), data={"csrf_token": token})
    assert twice.status_code == 409 and 'id="already-converted"' in twice.get_data(as_text=True)
    assert len(admin.get("/sales/opportunities").get_json()["items"]) == 1


def test_without_a_deal_the_dialog_lands_on_the_new_account(admin, client, auth, tenant):
    lead = _lead(admin, company="Hooli", domain="hooli.test", email="ada@hooli.test")
    auth.login(tenant)
    html, token = _form(client, lead["id"])
    assert "A new account: Hooli" in html
    done = client.post(URL.format(lead["id"]), data={"csrf_token": token})
    converted = admin.get(f"/sales/leads/{lead['id']}").get_json()
    assert converted["opportunity_id"] is None
    assert done.headers["Location"] == f"/records/account/{converted['account_id']}"
    assert admin.get(f"/accounts/{converted['account_id']}").get_json()["name"] == "Hooli"


def test_bad_input_is_shown_inline_and_changes_nothing(admin, account, client, auth, tenant):
    lead = _lead(admin)
    auth.login(tenant)
    _html, token = _form(client, lead["id"])
    refused = client.post(URL.format(lead["id"]), data={
        "csrf_token": token, "open_deal": "y", "opportunity.amount": "lots",
        "opportunity.currency": "EUR", "opportunity.stage_id": account["id"]})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert re.search(r'id="f-deal-amount-error">Enter a number', html)
    assert 'name="opportunity.amount" value="lots"' in html  # what was typed stays
    unknown_stage = client.post(URL.format(lead["id"]), data={
        "csrf_token": token, "open_deal": "y", "opportunity.stage_id": account["id"]})
    assert unknown_stage.status_code == 422
    assert 'id="f-deal-stage_id-error"' in unknown_stage.get_data(as_text=True)
    assert admin.get(f"/sales/leads/{lead['id']}").get_json()["converted_at"] is None
    assert admin.get("/sales/opportunities").get_json()["items"] == []
    assert admin.get("/contacts").get_json()["items"] == []


def test_several_matching_accounts_make_the_user_choose(admin, account, client, auth, tenant):
    twin = admin.post("/accounts", json={"name": "Initech (old)", "domain": "initech.test"})
    assert twin.status_code == 201
    lead = _lead(admin)
    auth.login(tenant)
    html, token = _form(client, lead["id"])
    assert "Choose an account" in html and html.count("(matches the lead)") == 2
    refused = client.post(URL.format(lead["id"]), data={"csrf_token": token})
    assert refused.status_code == 422
    assert re.search(r'id="f-account-error">2 existing account records match',
                     refused.get_data(as_text=True))
    assert admin.get(f"/sales/leads/{lead['id']}").get_json()["converted_at"] is None


def test_dialog_follows_permission_scope_and_module(admin, client, auth, tenant, make_user,
                                                    switch_module):
    lead = _lead(admin)
    rep = make_user(tenant, "sales_rep")
    assert rep.open(URL.format(lead["id"])).status_code == 404  # not the rep's lead
    own = rep.post("/sales/leads", json={"last_name": "Own"}).get_json()
    assert rep.open(URL.format(own["id"])).status_code == 200
    reader = make_user(tenant, "read_only")
    assert reader.open(URL.format(lead["id"])).status_code == 403
    switch_module(admin, "sales", False)
    assert admin.open(URL.format(lead["id"])).status_code == 404


def test_required_custom_fields_are_asked_for_and_checked_before_anything_is_written(
        admin, auth, tenant, client):
    for entity, name in (("account", "customer_tier"), ("opportunity", "deal_source")):
        made = admin.post("/custom-fields", json={"entity": entity, "name": name,
                                                  "label": name.replace("_", " ").title(),
                                                  "type": "text", "required": True})
        assert made.status_code == 201, made.get_json()
    lead = admin.post("/sales/leads", json={"last_name": "Bolton", "company": "Vandelay",
                                            "email": "bolton@vandelay.test"}).get_json()
    auth.login(tenant)
    page = f"/sales/leads/{lead['id']}/convert"
    form = client.get(page).get_data(as_text=True)
    assert 'name="account.custom.customer_tier"' in form
    assert 'name="opportunity.custom.deal_source"' in form
    token = csrf_token_from(form)
    body = {"csrf_token": token, "open_deal": "y", "opportunity.name": "Latex deal"}
    missing = client.post(page, data=body)
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert text.count("This field is required.") == 2
    assert admin.get("/accounts?q=Vandelay").get_json()["items"] == []
    assert admin.get(f"/sales/leads/{lead['id']}").get_json()["converted_at"] is None
    done = client.post(page, data={**body, "account.custom.customer_tier": "Gold",
                                   "opportunity.custom.deal_source": "Trade fair"})
    assert done.status_code == 302, done.get_data(as_text=True)
    (account,) = admin.get("/accounts?q=Vandelay").get_json()["items"]
    assert account["custom"]["customer_tier"] == "Gold"
    deal = admin.get(done.headers["Location"].replace("/sales/deals/", "/sales/opportunities/")
                     ).get_json()
    assert deal["custom"]["deal_source"] == "Trade fair"
