"""A deal's team members read it though it is outside their data scope; changing it stays
with its owner's scope (issue 4, item 9; ``patron.rbac.sharing``)."""

from __future__ import annotations

from patron.testing.fixtures import csrf_token_from

DEALS = "/sales/opportunities"


def test_team_members_read_the_deal_and_only_the_owner_changes_it(
        admin, auth, tenant, client, make_user):
    rita = make_user(tenant, "sales_rep", email="rita@acme.test")
    sam = make_user(tenant, "sales_rep", email="sam@acme.test")
    account = rita.post("/accounts", json={"name": "Rita's account"}).get_json()
    deal = rita.post(DEALS, json={"name": "Rita's deal", "account_id": account["id"],
                                  "amount": "100"}).get_json()
    item, team = f"{DEALS}/{deal['id']}", f"{DEALS}/{deal['id']}/team"
    reads = (item, f"{item}/stage-history", f"{item}/lines", team)
    assert [sam.get(url).status_code for url in reads] == [404] * 4
    assert sam.get(DEALS).get_json()["items"] == []

    member = rita.post(team, json={"user_id": sam.user_id, "role": "Sales engineer"})
    assert member.status_code == 201, member.get_json()
    assert [sam.get(url).status_code for url in reads] == [200] * 4
    assert [d["name"] for d in sam.get(DEALS).get_json()["items"]] == ["Rita's deal"]
    logged = sam.post("/activities", json={"kind": "call_out", "subject": "Demo prep",
                                           "related_entity": "opportunity",
                                           "related_id": deal["id"]})
    assert logged.status_code == 201, logged.get_json()

    assert sam.patch(item, json={"amount": "1", "version": deal["version"]}).status_code == 404
    assert sam.post(f"{item}/competitors", json={"name": "Globex"}).status_code == 404
    assert sam.delete(item).status_code == 403  # reps may not delete deals at all
    after = rita.get(item).get_json()
    assert (after["amount"], after["version"]) == ("100.0000", deal["version"])
    assert rita.get(f"{item}/competitors").get_json()["items"] == []

    # The deal page shows the deal without the forms that would change it.
    auth.login(tenant, "sam@acme.test")
    page = client.get(f"/sales/deals/{deal['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Rita&#39;s deal" in html
    assert f'action="/sales/deals/{deal["id"]}/lines"' not in html
    token = csrf_token_from(html)
    refused = client.post(f"/sales/deals/{deal['id']}/competitors",
                          data={"csrf_token": token, "name": "Globex"})
    assert refused.status_code == 404

    membership = rita.get(team).get_json()["items"][0]["id"]
    assert rita.delete(f"{team}/{membership}").status_code == 204
    assert sam.get(item).status_code == 404
