"""Price lists, quotes (lines, Decimal totals, statuses, revisions), orders and contracts,
and the whole way from a lead to a contract through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from patron.events.jobs import run_due_jobs


@pytest.fixture
def catalogue(admin):
    """A printer (99.00 USD list price), toner (0.10 USD) and a EUR price list for the
    printer at 180.00."""
    printer = admin.post("/products", json={"sku": "P-1", "name": "Printer",
                                            "list_price": "99.00"}).get_json()
    toner = admin.post("/products", json={"sku": "T-1", "name": "Toner",
                                          "list_price": "0.10"}).get_json()
    euros = admin.post("/sales/price-lists", json={"name": "Europe", "currency": "EUR"})
    assert euros.status_code == 201, euros.get_json()
    euros = euros.get_json()
    item = admin.post(f"/sales/price-lists/{euros['id']}/items",
                      json={"product_id": printer["id"], "unit_price": "180.00"})
    assert item.status_code == 201, item.get_json()
    return {"printer": printer, "toner": toner, "euros": euros}


def _actions(api, record_id: str) -> list[str]:
    events = api.get(f"/audit-events?record_id={record_id}&sort=occurred_at&limit=200")
    return [e["action"] for e in events.get_json()["items"]]


def _euro_deal(admin, account, catalogue) -> dict:
    deal = admin.post("/sales/opportunities", json={
        "name": "Fleet", "account_id": account["id"], "currency": "EUR",
        "price_list_id": catalogue["euros"]["id"]})
    assert deal.status_code == 201, deal.get_json()
    return deal.get_json()


def _priced_quote(admin, deal, catalogue) -> dict:
    quote = admin.post("/sales/quotes", json={"name": "Fleet offer",
                                              "opportunity_id": deal["id"],
                                              "discount_percent": "5", "tax_percent": "19"})
    assert quote.status_code == 201, quote.get_json()
    quote = quote.get_json()
    lines = f"/sales/quotes/{quote['id']}/lines"
    first = admin.post(lines, json={"product_id": catalogue["printer"]["id"], "quantity": "2",
                                    "discount_percent": "10"})
    assert first.status_code == 201, first.get_json()
    refused = admin.post(lines, json={"product_id": catalogue["toner"]["id"], "quantity": "3"})
    assert refused.status_code == 422 and "unit_price" in refused.get_json()["errors"]
    second = admin.post(lines, json={"product_id": catalogue["toner"]["id"], "quantity": "3",
                                     "unit_price": "12.345"})
    assert second.status_code == 201
    return admin.get(f"/sales/quotes/{quote['id']}").get_json()


def test_quote_takes_the_deals_terms_and_totals_in_decimal(admin, account, catalogue):
    deal = _euro_deal(admin, account, catalogue)
    quote = _priced_quote(admin, deal, catalogue)
    assert (quote["account_id"], quote["currency"], quote["price_list_id"]) == (
        account["id"], "EUR", catalogue["euros"]["id"])
    lines = admin.get(f"/sales/quotes/{quote['id']}/lines").get_json()["items"]
    # 2 × 180.00 (price list) less 10 % = 324; 3 × 12.345 = 37.035.
    assert [(line["unit_price"], line["amount"]) for line in lines] == [
        ("180.0000", "324.0000"), ("12.3450", "37.0350")]
    # 361.035 less 5 % (18.05175 → 18.0518) = 342.9832; 19 % tax = 65.166808 → 65.1668.
    assert (quote["subtotal"], quote["discount_amount"], quote["tax_amount"],
            quote["total"]) == ("361.0350", "18.0518", "65.1668", "408.1500")
    changed = admin.patch(f"/sales/quotes/{quote['id']}", json={"tax_percent": "0"})
    assert changed.get_json()["total"] == "342.9832"
    refused = admin.patch(f"/sales/quotes/{quote['id']}", json={"currency": "USD"})
    assert refused.status_code == 422


def test_quote_lifecycle_accept_makes_the_order(admin, account, catalogue):
    deal = _euro_deal(admin, account, catalogue)
    empty = admin.post("/sales/quotes", json={"name": "Empty",
                                              "opportunity_id": deal["id"]}).get_json()
    assert admin.post(f"/sales/quotes/{empty['id']}/send").status_code == 422
    quote = _priced_quote(admin, deal, catalogue)
    assert admin.post(f"/sales/quotes/{quote['id']}/accept").status_code == 409  # a draft
    sent = admin.post(f"/sales/quotes/{quote['id']}/send")
    assert sent.status_code == 200 and sent.get_json()["status"] == "sent"
    lines = f"/sales/quotes/{quote['id']}/lines"
    assert admin.post(lines, json={"product_id": catalogue["printer"]["id"],
                                   "quantity": "1"}).status_code == 409
    assert admin.patch(f"/sales/quotes/{quote['id']}", json={"notes": "x"}).status_code == 409
    assert admin.delete(f"/sales/quotes/{quote['id']}").status_code == 409
    accepted = admin.post(f"/sales/quotes/{quote['id']}/accept")
    assert accepted.status_code == 201, accepted.get_json()
    result = accepted.get_json()
    assert result["quote"]["status"] == "accepted" and result["quote"]["decided_at"]
    order = result["order"]
    assert (order["quote_id"], order["opportunity_id"], order["account_id"], order["total"],
            order["currency"], order["status"]) == (
        quote["id"], deal["id"], account["id"], "408.1500", "EUR", "open")
    assert accepted.headers["Location"].endswith(f"/api/v1/sales/orders/{order['id']}")
    assert admin.get(f"/sales/orders/{order['id']}").get_json() == order
    assert admin.post(f"/sales/quotes/{quote['id']}/accept").status_code == 409
    assert _actions(admin, quote["id"])[-2:] == ["quote.sent", "quote.accepted"]
    created = admin.get(f"/audit-events?entity=order&record_id={order['id']}").get_json()
    assert [e["action"] for e in created["items"]] == ["create"]  # order.created
    won = admin.get(f"/sales/opportunities/{deal['id']}").get_json()
    assert won["status"] == "won"  # the customer accepted: the deal is won, with this order
    orders = admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"]
    assert [o["id"] for o in orders] == [order["id"]]


def test_a_pipeline_can_leave_the_deal_open_when_a_quote_is_accepted(admin, account,
                                                                      catalogue):
    pipeline = admin.get("/sales/pipelines?is_default=true").get_json()["items"][0]
    changed = admin.patch(f"/sales/pipelines/{pipeline['id']}",
                          json={"win_on_quote_accept": False})
    assert changed.status_code == 200 and changed.get_json()["win_on_quote_accept"] is False
    deal = _euro_deal(admin, account, catalogue)
    quote = _priced_quote(admin, deal, catalogue)
    admin.post(f"/sales/quotes/{quote['id']}/send")
    assert admin.post(f"/sales/quotes/{quote['id']}/accept").status_code == 201
    assert admin.get(f"/sales/opportunities/{deal['id']}").get_json()["status"] == "open"


def test_rejected_quote_is_revised_with_its_lines(admin, account, catalogue):
    deal = _euro_deal(admin, account, catalogue)
    quote = _priced_quote(admin, deal, catalogue)
    admin.post(f"/sales/quotes/{quote['id']}/send")
    assert admin.post(f"/sales/quotes/{quote['id']}/reject").get_json()["status"] == "rejected"
    revised = admin.post(f"/sales/quotes/{quote['id']}/revise")
    assert revised.status_code == 201
    revision = revised.get_json()
    assert (revision["revision"], revision["previous_id"], revision["status"],
            revision["total"]) == (2, quote["id"], "draft", "408.1500")
    lines = admin.get(f"/sales/quotes/{revision['id']}/lines").get_json()["items"]
    assert [line["amount"] for line in lines] == ["324.0000", "37.0350"]
    assert admin.post(f"/sales/quotes/{revision['id']}/revise").status_code == 409


def test_quotes_past_their_date_expire(app, admin, account, catalogue):
    deal = _euro_deal(admin, account, catalogue)
    quote = _priced_quote(admin, deal, catalogue)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    admin.patch(f"/sales/quotes/{quote['id']}", json={"valid_until": yesterday})
    admin.post(f"/sales/quotes/{quote['id']}/send")
    assert admin.post(f"/sales/quotes/{quote['id']}/accept").status_code == 409
    with app.app_context():
        run_due_jobs(datetime.now(UTC))
    assert admin.get(f"/sales/quotes/{quote['id']}").get_json()["status"] == "expired"
    assert "quote.expired" in _actions(admin, quote["id"])


def test_orders_entered_directly_change_only_their_status(admin, account):
    made = admin.post("/sales/orders", json={"account_id": account["id"], "total": "99.5"})
    assert made.status_code == 201, made.get_json()
    order = made.get_json()
    assert (order["currency"], order["status"], order["quote_id"]) == ("USD", "open", None)
    done = admin.patch(f"/sales/orders/{order['id']}", json={"status": "fulfilled"})
    assert done.status_code == 200 and done.get_json()["status"] == "fulfilled"
    refused = admin.patch(f"/sales/orders/{order['id']}", json={"total": "1"})
    assert refused.status_code == 422 and "total" in refused.get_json()["errors"]
    assert admin.delete(f"/sales/orders/{order['id']}").status_code == 405


def test_price_list_rules(admin, account, catalogue):
    euros = catalogue["euros"]
    duplicate = admin.post(f"/sales/price-lists/{euros['id']}/items",
                           json={"product_id": catalogue["printer"]["id"], "unit_price": "1"})
    assert duplicate.status_code == 422
    refused = admin.post("/sales/opportunities", json={
        "name": "Mismatch", "account_id": account["id"], "price_list_id": euros["id"]})
    assert refused.status_code == 422 and "price_list_id" in refused.get_json()["errors"]
    assert admin.patch(f"/sales/price-lists/{euros['id']}",
                       json={"currency": "GBP"}).status_code == 409
    _euro_deal(admin, account, catalogue)
    assert admin.delete(f"/sales/price-lists/{euros['id']}").status_code == 409


def test_contract_dates_and_renewal_reminders(app, admin, account):
    made = admin.post("/sales/contracts", json={
        "name": "Support", "account_id": account["id"], "value": "1200", "term_months": 12,
        "start_date": "2027-01-31"})
    assert made.status_code == 201, made.get_json()
    contract = made.get_json()
    assert (contract["end_date"], contract["renewal_date"], contract["currency"]) == (
        "2028-01-30", "2028-01-30", "USD")
    bad = admin.post("/sales/contracts", json={"name": "Backwards", "account_id": account["id"],
                                               "start_date": "2027-02-01",
                                               "end_date": "2027-01-01"})
    assert bad.status_code == 422 and "end_date" in bad.get_json()["errors"]
    soon = (datetime.now(UTC) + timedelta(days=10)).date()
    due = admin.post("/sales/contracts", json={
        "name": "Due soon", "account_id": account["id"], "status": "active",
        "renewal_date": soon.isoformat()}).get_json()
    admin.post("/sales/contracts", json={
        "name": "Later", "account_id": account["id"], "status": "active",
        "renewal_date": (soon + timedelta(days=60)).isoformat()})
    now = datetime.now(UTC)
    with app.app_context():
        run_due_jobs(now)
        run_due_jobs(now + timedelta(hours=2))  # announced once
    announced = admin.get("/audit-events?action=contract.renewal_due").get_json()["items"]
    assert [e["record_id"] for e in announced] == [due["id"]]
    moved = admin.patch(f"/sales/contracts/{due['id']}", json={
        "renewal_date": (soon + timedelta(days=1)).isoformat()})
    assert moved.get_json()["renewal_notified_at"] is None
    with app.app_context():
        run_due_jobs(now + timedelta(hours=4))
    assert len(admin.get("/audit-events?action=contract.renewal_due").get_json()["items"]) == 2


def test_from_lead_to_contract_through_the_api(admin, stages, catalogue):
    lead = admin.post("/sales/leads", json={"last_name": "Bolton", "company": "Penetrode",
                                            "domain": "penetrode.test"}).get_json()
    converted = admin.post(f"/sales/leads/{lead['id']}/convert", json={"opportunity": {
        "name": "Penetrode fleet", "currency": "EUR"}}).get_json()
    deal_id = converted["opportunity_id"]
    admin.patch(f"/sales/opportunities/{deal_id}",
                json={"price_list_id": catalogue["euros"]["id"]})
    admin.post(f"/sales/opportunities/{deal_id}/lines",
               json={"product_id": catalogue["printer"]["id"], "quantity": "4"})
    deal = admin.get(f"/sales/opportunities/{deal_id}").get_json()
    assert deal["amount"] == "720.0000"
    quote = admin.post("/sales/quotes", json={"name": "Offer", "opportunity_id": deal_id,
                                              "tax_percent": "10"}).get_json()
    # The quote starts with the deal's product lines.
    lines = admin.get(f"/sales/quotes/{quote['id']}/lines").get_json()["items"]
    assert [(line["product_id"], line["quantity"], line["amount"]) for line in lines] == [
        (catalogue["printer"]["id"], "4.0000", "720.0000")]
    assert (quote["subtotal"], quote["total"]) == ("720.0000", "792.0000")
    admin.post(f"/sales/quotes/{quote['id']}/send")
    order = admin.post(f"/sales/quotes/{quote['id']}/accept").get_json()["order"]
    won = admin.patch(f"/sales/opportunities/{deal_id}", json={"stage_id": stages["Won"]["id"]})
    assert won.get_json()["status"] == "won"
    contract = admin.post("/sales/contracts", json={
        "name": "Penetrode service", "order_id": order["id"], "status": "active",
        "start_date": date(2027, 3, 1).isoformat(), "term_months": 1})
    assert contract.status_code == 201, contract.get_json()
    contract = contract.get_json()
    assert (contract["account_id"], contract["opportunity_id"], contract["value"],
            contract["currency"], contract["end_date"]) == (
        converted["account_id"], deal_id, "792.0000", "EUR", "2027-03-31")
    orders = admin.get(f"/sales/orders?opportunity_id={deal_id}").get_json()["items"]
    assert [o["id"] for o in orders] == [order["id"]]  # winning did not make a second one


def test_winning_a_deal_makes_its_order_which_a_quote_completes(admin, account, stages,
                                                                 catalogue):
    deal = _euro_deal(admin, account, catalogue)
    admin.patch(f"/sales/opportunities/{deal['id']}", json={"amount": "500"})
    admin.patch(f"/sales/opportunities/{deal['id']}", json={"stage_id": stages["Won"]["id"]})
    (order,) = admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"]
    assert (order["quote_id"], order["total"], order["currency"], order["owner_id"]) == (
        None, "500.0000", "EUR", admin.user_id)
    quote = _priced_quote(admin, deal, catalogue)
    admin.post(f"/sales/quotes/{quote['id']}/send")
    accepted = admin.post(f"/sales/quotes/{quote['id']}/accept").get_json()["order"]
    assert (accepted["id"], accepted["quote_id"], accepted["total"]) == (
        order["id"], quote["id"], "408.1500")
    changes = admin.get(f"/audit-events?record_id={order['id']}&action=update").get_json()
    assert changes["items"][0]["changes"] == {"quote_id": [None, quote["id"]],
                                              "total": ["500.0000", "408.1500"]}
    admin.patch(f"/sales/opportunities/{deal['id']}", json={"stage_id": stages["Lost"]["id"]})
    admin.patch(f"/sales/opportunities/{deal['id']}", json={"stage_id": stages["Won"]["id"]})
    assert len(admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"]) == 1


def test_payment_plan_allocates_payments_and_flags_overdue_instalments(app, admin, account):
    contract = admin.post("/sales/contracts", json={
        "name": "Plan", "account_id": account["id"], "value": "3000"}).get_json()
    base = f"/sales/contracts/{contract['id']}"
    past = (datetime.now(UTC) - timedelta(days=5)).date()
    for months, amount in ((0, "1000"), (1, "1000"), (2, "1000.50")):
        due = (past + timedelta(days=31 * months)).isoformat()
        made = admin.post(f"{base}/instalments", json={"due_date": due, "amount": amount})
        assert made.status_code == 201, made.get_json()
    paid = admin.post(f"{base}/payments", json={"amount": "1200.25", "received_on":
                                                past.isoformat(), "reference": "Wire 1"})
    assert paid.status_code == 201, paid.get_json()
    plan = admin.get(f"{base}/instalments").get_json()["items"]
    assert [i["received_amount"] for i in plan] == ["1000.0000", "200.2500", "0.0000"]
    with app.app_context():
        run_due_jobs(datetime.now(UTC))
    # Only the first instalment is past due, and it is fully received: nothing is overdue.
    plan = admin.get(f"{base}/instalments").get_json()["items"]
    assert [i["overdue_at"] for i in plan] == [None, None, None]
    assert admin.get("/audit-events?action=contract.payment_overdue").get_json()["items"] == []
    admin.delete(f"{base}/payments/{paid.get_json()['id']}")
    with app.app_context():
        run_due_jobs(datetime.now(UTC) + timedelta(hours=2))
    plan = admin.get(f"{base}/instalments").get_json()["items"]
    assert [i["overdue_at"] is not None for i in plan] == [True, False, False]
    assert len(admin.get("/audit-events?action=contract.payment_overdue").get_json()[
        "items"]) == 1
    admin.post(f"{base}/payments", json={"amount": "1000", "received_on": past.isoformat()})
    plan = admin.get(f"{base}/instalments").get_json()["items"]
    assert plan[0]["received_amount"] == "1000.0000" and plan[0]["overdue_at"] is None
    assert admin.post(f"{base}/payments", json={"amount": "-1", "received_on": "2027-01-01"}
                      ).status_code == 422


def test_accepting_a_quote_gives_the_order_its_required_custom_fields(admin, account, stages,
                                                                       catalogue):
    admin.post("/custom-fields", json={"entity": "order", "name": "po_number",
                                       "label": "PO number", "type": "text", "required": True})
    deal = _euro_deal(admin, account, catalogue)
    quote = _priced_quote(admin, deal, catalogue)
    admin.post(f"/sales/quotes/{quote['id']}/send")
    missing = admin.post(f"/sales/quotes/{quote['id']}/accept")
    assert missing.status_code == 422
    assert missing.get_json()["errors"] == {"order": {"custom": {
        "po_number": ["This field is required."]}}}
    assert admin.get(f"/sales/quotes/{quote['id']}").get_json()["status"] == "sent"
    assert admin.get(f"/sales/orders?opportunity_id={deal['id']}").get_json()["items"] == []
    accepted = admin.post(f"/sales/quotes/{quote['id']}/accept",
                          json={"order": {"custom": {"po_number": "PO-77"}}})
    assert accepted.status_code == 201, accepted.get_json()
    assert accepted.get_json()["order"]["custom"] == {"po_number": "PO-77"}
