"""The customer pool's page, ``/sales/pool``: the accounts nobody owns, claimed with a button
up to the role's limit (the refusal shown), and the rules that bring idle accounts back."""

from __future__ import annotations

import re

from patron.testing.fixtures import csrf_token_from

POOL, RULES, SETTINGS = "/sales/pool", "/sales/pool-rules", "/sales/pool-settings"


def test_a_rep_claims_from_the_pool_page_up_to_the_limit(admin, tenant, auth, make_user,
                                                          client):
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    assert admin.patch(SETTINGS, json={"claim_limits": {role: 1}}).status_code == 200
    assert admin.post(RULES, json={"name": "Idle", "kind": "no_follow_up",
                                   "days": 30}).status_code == 201
    pooled = {name: admin.post(POOL, json={"name": name}).get_json()
              for name in ("Umbrella", "Wayne Logistics")}
    make_user(tenant, "sales_rep", email="rita@acme.test")
    auth.login(tenant, "rita@acme.test")
    page = client.get("/sales/pool").get_data(as_text=True)
    assert "Umbrella" in page and "Wayne Logistics" in page
    assert "You hold 0 of the 1 accounts your role may claim." in page
    assert "Idle · back to the pool after 30 days without a follow-up" in page
    assert "Wayne Logistics" in client.get("/sales/pool?q=wayne").get_data(as_text=True)
    assert "Umbrella" not in client.get("/sales/pool?q=wayne").get_data(as_text=True)

    token = csrf_token_from(page)
    claimed = client.post(f"/sales/pool/{pooled['Umbrella']['id']}/claim",
                          data={"csrf_token": token}, follow_redirects=True)
    page = claimed.get_data(as_text=True)
    assert "Umbrella is yours now." in page and "You hold 1 of the 1" in page
    assert not re.search(r"<td>Umbrella</td>", page)
    refused = client.post(f"/sales/pool/{pooled['Wayne Logistics']['id']}/claim",
                          data={"csrf_token": token}, follow_redirects=True)
    assert "the limit of your role" in refused.get_data(as_text=True)
    owners = {a["name"]: a["owner_id"] for a in admin.get("/accounts?limit=50").get_json()[
        "items"]}
    assert owners["Wayne Logistics"] is None and owners["Umbrella"] is not None


def test_the_pool_page_needs_the_pool_permission(admin, tenant, auth, make_user, client):
    make_user(tenant, "service_agent", email="agent@acme.test")
    auth.login(tenant, "agent@acme.test")
    assert client.get("/sales/pool").status_code == 403


def test_an_owner_gives_an_account_back_to_the_pool_from_its_page(admin, auth, tenant, client,
                                                                  make_user):
    account = admin.post("/accounts", json={"name": "Umbrella"}).get_json()
    auth.login(tenant)
    page = client.get(f"/records/account/{account['id']}").get_data(as_text=True)
    release = f"/sales/pool/{account['id']}/release"
    assert f'href="{release}"' in page
    form = client.get(release).get_data(as_text=True)
    assert "Give Umbrella back to the pool" in form
    done = client.post(release, data={"csrf_token": csrf_token_from(form),
                                      "detail": "No budget until 2028"})
    assert done.status_code == 302 and done.headers["Location"] == "/sales/pool"
    assert admin.get(f"/accounts/{account['id']}").get_json()["owner_id"] is None
    moves = admin.get(f"/sales/pool/{account['id']}/moves").get_json()["items"]
    assert (moves[-1]["reason"], moves[-1]["detail"]) == ("released", "No budget until 2028")
    rep_api = make_user(tenant, role="sales_rep", email="rep@acme.test")
    theirs = rep_api.post("/accounts", json={"name": "Theirs"}).get_json()
    rep = auth.app.test_client()
    auth.login(tenant, email="rep@acme.test", client=rep)
    assert rep.get(f"/sales/pool/{account['id']}/release").status_code == 404  # not in scope
    assert f"/sales/pool/{theirs['id']}/release" in rep.get(
        f"/records/account/{theirs['id']}").get_data(as_text=True)
