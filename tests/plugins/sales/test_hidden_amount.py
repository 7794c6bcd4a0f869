"""A role that hides the deals' amount sees no amount, and no sum of amounts, anywhere: not on
the board (cards or column totals), the deal page, the home page, "My day", the team
dashboard, the forecast and funnel (page and API) or the account's 360° panel (page and
API)."""

from __future__ import annotations

from datetime import UTC, datetime

AMOUNT = "97531"  # shown as 97,531.00 and sent as 97531.0000: neither may appear
SHOWN_AS = ("97531", "97,531")


def test_a_hidden_amount_is_on_no_page_report_or_panel(admin, tenant, make_user, stages):
    role = admin.get("/roles?key=sales_manager").get_json()["items"][0]
    response = admin.patch(f"/roles/{role['id']}", json={
        "field_access": {"opportunity": {"amount": "hidden"}}})
    assert response.status_code == 200, response.get_json()
    manager = make_user(tenant, "sales_manager", email="manager@acme.test")
    account = manager.post("/accounts", json={"name": "Initech"}).get_json()
    close = datetime.now(UTC).date().isoformat()
    deal = manager.post("/sales/opportunities", json={
        "name": "Secret deal", "account_id": account["id"], "expected_close_date": close})
    won = manager.post("/sales/opportunities", json={
        "name": "Won deal", "account_id": account["id"], "expected_close_date": close})
    deal, won = deal.get_json(), won.get_json()
    assert "id" in deal and "id" in won, (deal, won)
    for record, changes in ((deal, {"amount": AMOUNT}),
                            (won, {"amount": AMOUNT, "stage_id": stages["Won"]["id"]})):
        changed = admin.patch(f"/sales/opportunities/{record['id']}", json=changes,
                              headers={"If-Match": str(record["version"])})
        assert changed.status_code == 200, changed.get_json()
    pages = ["/", "/sales/board", f"/sales/deals/{deal['id']}", "/sales/my-day",
             "/sales/team",
             "/sales/forecast", f"/records/account/{account['id']}/360",
             f"/records/opportunity/{deal['id']}", "/records/opportunity/"]
    api = ["/api/v1/sales/forecast", "/api/v1/sales/funnel",
           f"/api/v1/accounts/{account['id']}/360", f"/api/v1/sales/opportunities/{deal['id']}"]
    for url in pages + api:
        response = manager.open(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        # (The home page counts the deals by stage without naming them.)
        assert "Secret deal" in body or url == "/" or url.startswith((
            "/api/v1/sales/f", "/sales/team", "/sales/forecast")), url
        assert not any(text in body for text in SHOWN_AS), f"the amount shows on {url}"
    # The admin's role shows it: the pages above would show it if they did not withhold it.
    for url in ("/sales/board", "/sales/forecast", f"/records/account/{account['id']}/360"):
        body = admin.open(url).get_data(as_text=True)
        assert any(text in body for text in SHOWN_AS), url
    assert admin.open("/api/v1/sales/forecast").get_json()["items"][0]["amount"]
