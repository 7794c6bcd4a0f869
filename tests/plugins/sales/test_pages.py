"""The pipeline board and deal pages, through the test client (the browser test drags)."""

from __future__ import annotations

import re

from patron.testing.fixtures import csrf_token_from


def _signed_in(auth, tenant, client):
    auth.login(tenant)
    return csrf_token_from(client.get("/sales/board").get_data(as_text=True))


def test_board_shows_columns_totals_and_cards(admin, account, stages, client, auth, tenant):
    admin.post("/sales/opportunities", json={"name": "Alpha", "account_id": account["id"],
                                             "amount": "1000", "currency": "EUR"})
    admin.post("/sales/opportunities", json={"name": "Beta", "account_id": account["id"],
                                             "amount": "250", "currency": "EUR"})
    auth.login(tenant)
    page = client.get("/sales/board")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="card flex-shrink-0"') == 11
    assert "Alpha" in html and "Initech" in html
    total = re.search(rf'data-stage-total="{stages["Initial contact"]["id"]}">(.*?)</div>',
                      html, re.S).group(1)
    assert "2 deals" in total and "€1,250.00" in total
    assert 'href="/sales/board"' in html  # the menu entry


def test_moving_a_card_records_history_and_refuses_stale_or_foreign_moves(
        admin, account, stages, client, auth, tenant):
    deal = admin.post("/sales/opportunities", json={"name": "Gamma",
                                                    "account_id": account["id"]}).get_json()
    token = _signed_in(auth, tenant, client)
    target = stages["Demonstration"]["id"]
    moved = client.post("/sales/board/move", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "opportunity_id": deal["id"], "stage_id": target,
        "version": deal["version"]})
    assert moved.status_code == 200
    assert "<html" not in moved.get_data(as_text=True)  # only the columns
    assert admin.get(f"/sales/opportunities/{deal['id']}").get_json()["stage_id"] == target
    stale = client.post("/sales/board/move", data={
        "csrf_token": token, "opportunity_id": deal["id"], "stage_id": stages["Won"]["id"],
        "version": deal["version"]})
    assert stale.status_code == 409 and "Someone else changed" in stale.get_data(as_text=True)
    other = admin.post("/sales/pipelines", json={"name": "Other"}).get_json()
    foreign_stage = client.post("/sales/board/move", data={
        "csrf_token": token, "opportunity_id": deal["id"], "stage_id": other["stages"][0]["id"]})
    assert foreign_stage.status_code == 422
    assert client.post("/sales/board/move", data={
        "opportunity_id": deal["id"], "stage_id": target}).status_code == 400  # no CSRF token
    history = client.get(f"/sales/deals/{deal['id']}").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>", history)
    assert rows == ["Initial contact", "Demonstration"]


def test_pages_follow_scope_tenant_and_module(admin, account, client, auth, tenant,
                                              other_tenant, make_user, switch_module):
    deal = admin.post("/sales/opportunities", json={"name": "Secret deal",
                                                    "account_id": account["id"]}).get_json()
    rep = make_user(tenant, "sales_rep")
    assert rep.open(f"/sales/deals/{deal['id']}").status_code == 404
    assert "Secret deal" not in rep.open("/sales/board").get_data(as_text=True)
    globex = auth.api(other_tenant)
    assert globex.open("/sales/board").status_code == 404
    switch_module(globex, "sales")
    assert globex.open(f"/sales/deals/{deal['id']}").status_code == 404
    assert "Secret deal" not in globex.open("/sales/board").get_data(as_text=True)
    switch_module(admin, "sales", False)
    assert admin.open("/sales/board").status_code == 404


def test_printable_quote(admin, account, tenant, make_user):
    product = admin.post("/products", json={"sku": "S-1", "name": "Stapler",
                                            "list_price": "12.50"}).get_json()
    quote = admin.post("/sales/quotes", json={
        "name": "Office kit", "account_id": account["id"], "tax_percent": "20",
        "notes": "Delivery within a week"}).get_json()
    admin.post(f"/sales/quotes/{quote['id']}/lines", json={
        "product_id": product["id"], "quantity": "4", "description": "Red ones"})
    page = admin.open(f"/sales/quotes/{quote['id']}/print")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Office kit" in html and "Initech" in html and "Stapler" in html
    assert "Red ones" in html and "Delivery within a week" in html
    totals = re.search(r'<tfoot id="quote-totals">(.*?)</tfoot>', html, re.S).group(1)
    # 4 × 12.50 = 50.00; 20 % tax = 10.00; total 60.00.
    assert [re.sub(r"\s+", " ", cell) for cell in re.findall(r"<td[^>]*>([^<]+)</td>", totals)
            ] == ["$50.00", "$10.00", "$60.00"]
    assert make_user(tenant, "sales_rep").open(
        f"/sales/quotes/{quote['id']}/print").status_code == 404


def test_a_stage_move_reads_as_a_sentence_in_the_audit_log(admin, account, stages, client,
                                                           auth, tenant):
    deal = admin.post("/sales/opportunities", json={"name": "Epsilon",
                                                    "account_id": account["id"]}).get_json()
    admin.patch(f"/sales/opportunities/{deal['id']}",
                json={"stage_id": stages["Demonstration"]["id"]})
    auth.login(tenant)
    log = client.get(f"/admin/audit?record_id={deal['id']}").get_data(as_text=True)
    assert "Stage changed: Initial contact → Demonstration" in log
    assert "opportunity.stage_changed" not in log.split("<tbody", 1)[1]
    # Users, pipelines and stages are named in every change, as accounts are.
    assert "<strong>Owner</strong>: — → Admin" in log
    assert "<strong>Pipeline</strong>: — → Sales" in log
    client.post("/language", data={"locale": "zh_Hans", "next": "/",
                                   "csrf_token": csrf_token_from(log)})
    log = client.get(f"/admin/audit?record_id={deal['id']}").get_data(as_text=True)
    assert "阶段已变更：Initial contact → Demonstration" in log
