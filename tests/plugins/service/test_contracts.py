"""Service contracts and warranties: coverage per account and product for a period, at an
SLA tier; a covered customer's new ticket records its entitlement and follows that tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

CONTRACTS = "/service/contracts"


def _days(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


def test_a_covered_customers_ticket_follows_the_contracts_tier(admin, account, new_ticket):
    gold = admin.post("/service/sla-policies", json={"name": "Gold", "targets": {
        "normal": {"first_response_minutes": 15, "resolution_minutes": 120}}}).get_json()
    product = admin.post("/products", json={"sku": "B-1", "name": "Boiler"}).get_json()
    other = admin.post("/products", json={"sku": "P-1", "name": "Pump"}).get_json()
    expired = admin.post(CONTRACTS, json={"name": "Old", "account_id": account["id"],
                                          "starts_on": _days(-400), "ends_on": _days(-35)})
    assert expired.status_code == 201, expired.get_json()
    warranty = admin.post(CONTRACTS, json={
        "name": "Boiler warranty", "kind": "warranty", "account_id": account["id"],
        "product_id": product["id"], "starts_on": _days(-10), "ends_on": _days(300),
        "sla_policy_id": gold["id"]}).get_json()
    covered = new_ticket(account_id=account["id"], product_id=product["id"])
    assert (covered["covered"], covered["entitlement_id"], covered["sla_policy_id"]) == (
        True, warranty["id"], gold["id"])
    uncovered = new_ticket(account_id=account["id"], product_id=other["id"])
    assert (uncovered["covered"], uncovered["entitlement_id"]) == (False, None)
    assert uncovered["sla_policy_id"] != gold["id"]
    moved = admin.patch(f"/service/tickets/{uncovered['id']}",
                        json={"product_id": product["id"]}).get_json()
    assert moved["entitlement_id"] == warranty["id"]
    listed = admin.get(f"/service/tickets?entitlement_id={warranty['id']}").get_json()
    assert {t["id"] for t in listed["items"]} == {covered["id"], uncovered["id"]}


def test_contract_rules(admin, account):
    backwards = admin.post(CONTRACTS, json={"name": "X", "account_id": account["id"],
                                            "starts_on": _days(5), "ends_on": _days(1)})
    assert backwards.status_code == 422 and "ends_on" in backwards.get_json()["errors"]
    missing = admin.post(CONTRACTS, json={"name": "X", "starts_on": _days(0), "ends_on": _days(1),
                                          "account_id": "01900000-0000-7000-8000-000000000000"})
    assert missing.status_code == 422 and "account_id" in missing.get_json()["errors"]
    made = admin.post(CONTRACTS, json={"name": "Care", "account_id": account["id"],
                                       "starts_on": _days(0), "ends_on": _days(1)}).get_json()
    refused = admin.patch(f"{CONTRACTS}/{made['id']}", json={"ends_on": _days(-1)})
    assert refused.status_code == 422
    assert admin.get(f"{CONTRACTS}/{made['id']}").get_json() == made


def test_deleting_a_tier_leaves_contracts_and_tickets_on_the_default(admin, account,
                                                                     new_ticket):
    gold = admin.post("/service/sla-policies", json={"name": "Gold"}).get_json()
    contract = admin.post(CONTRACTS, json={"name": "Care", "account_id": account["id"],
                                           "starts_on": _days(-1), "ends_on": _days(30),
                                           "sla_policy_id": gold["id"]}).get_json()
    ticket = new_ticket(account_id=account["id"])
    assert ticket["sla_policy_id"] == gold["id"]
    assert admin.delete(f"/service/sla-policies/{gold['id']}").status_code == 204
    assert admin.get(f"{CONTRACTS}/{contract['id']}").get_json()["sla_policy_id"] is None
    assert admin.get(f"/service/tickets/{ticket['id']}").get_json()["sla_policy_id"] is None
