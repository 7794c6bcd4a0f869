"""Approvals: discounts above the tenant's threshold and contracts above its value wait for
the owner's manager before they are sent or signed."""

from __future__ import annotations

import pytest


@pytest.fixture
def team(admin, tenant, make_user, account):
    """A manager with a rep reporting to them, another manager, and the thresholds set."""
    manager = make_user(tenant, "sales_manager")
    other_manager = make_user(tenant, "sales_manager")
    rep = make_user(tenant, "sales_rep")
    assert admin.patch(f"/users/{rep.user_id}",
                       json={"manager_id": manager.user_id}).status_code == 200
    settings = admin.patch("/sales/settings", json={"quote_discount_threshold": "10",
                                                    "contract_value_threshold": "1000"})
    assert settings.status_code == 200, settings.get_json()
    product = admin.post("/products", json={"sku": "W-1", "name": "Widget",
                                            "list_price": "100"}).get_json()
    customer = rep.post("/accounts", json={"name": "Rep's customer"}).get_json()
    return {"manager": manager, "other": other_manager, "rep": rep, "product": product,
            "account": customer}


def _quote(team, discount: str) -> dict:
    rep = team["rep"]
    quote = rep.post("/sales/quotes", json={"name": "Offer", "account_id": team["account"]["id"],
                                            "discount_percent": discount}).get_json()
    line = rep.post(f"/sales/quotes/{quote['id']}/lines",
                    json={"product_id": team["product"]["id"], "quantity": "1"})
    assert line.status_code == 201, line.get_json()
    return quote


def test_a_deep_discount_waits_for_the_managers_approval(team):
    rep, manager, other = team["rep"], team["manager"], team["other"]
    quote = _quote(team, "15")
    refused = rep.post(f"/sales/quotes/{quote['id']}/send")
    assert refused.status_code == 409 and "approval" in refused.get_json()["detail"]
    asked = rep.post(f"/sales/quotes/{quote['id']}/approval")
    assert asked.status_code == 201, asked.get_json()
    request = asked.get_json()
    assert (request["owner_id"], request["requested_by"], request["status"]) == (
        manager.user_id, rep.user_id, "pending")
    assert "15" in request["reason"]
    assert rep.post(f"/sales/quotes/{quote['id']}/approval").status_code == 409
    assert rep.get(f"/sales/quotes/{quote['id']}").get_json()["approval_status"] == "pending"
    assert rep.post(f"/sales/quotes/{quote['id']}/send").status_code == 409
    assert rep.post(f"/sales/quotes/{quote['id']}/approval/approve", json={}).status_code == 403
    assert other.post(f"/sales/quotes/{quote['id']}/approval/approve",
                      json={}).status_code == 404
    inbox = manager.get("/sales/approvals?status=pending").get_json()["items"]
    assert [a["quote_id"] for a in inbox] == [quote["id"]]
    assert other.get("/sales/approvals").get_json()["items"] == []
    decided = manager.post(f"/sales/quotes/{quote['id']}/approval/approve",
                           json={"comment": "Strategic account"})
    assert decided.status_code == 200 and decided.get_json()["status"] == "approved"
    assert rep.post(f"/sales/quotes/{quote['id']}/send").get_json()["status"] == "sent"


def test_changing_an_approved_quote_needs_approval_again(team):
    rep, manager = team["rep"], team["manager"]
    quote = _quote(team, "20")
    rep.post(f"/sales/quotes/{quote['id']}/approval")
    manager.post(f"/sales/quotes/{quote['id']}/approval/approve", json={})
    rep.patch(f"/sales/quotes/{quote['id']}", json={"discount_percent": "25"})
    assert rep.get(f"/sales/quotes/{quote['id']}").get_json()["approval_status"] is None
    assert rep.post(f"/sales/quotes/{quote['id']}/send").status_code == 409


def test_small_discounts_need_no_approval(team):
    quote = _quote(team, "5")
    assert team["rep"].post(f"/sales/quotes/{quote['id']}/approval").status_code == 409
    assert team["rep"].post(f"/sales/quotes/{quote['id']}/send").status_code == 200


def test_a_large_contract_is_signed_only_once_approved(team):
    rep, manager = team["rep"], team["manager"]
    refused = rep.post("/sales/contracts", json={
        "name": "Big", "account_id": team["account"]["id"], "value": "5000",
        "status": "active"})
    assert refused.status_code == 409
    assert rep.get("/sales/contracts?count=true").get_json()["total"] == 0
    contract = rep.post("/sales/contracts", json={
        "name": "Big", "account_id": team["account"]["id"], "value": "5000"}).get_json()
    path = f"/sales/contracts/{contract['id']}"
    assert rep.patch(path, json={"status": "active"}).status_code == 409
    rep.post(f"{path}/approval")
    rejected = manager.post(f"{path}/approval/reject", json={"comment": "Too long a term"})
    assert rejected.get_json()["status"] == "rejected"
    assert rep.get(path).get_json()["approval_status"] == "rejected"
    assert rep.post(f"{path}/approval").status_code == 201  # ask again
    manager.post(f"{path}/approval/approve", json={})
    signed = rep.patch(path, json={"status": "active"})
    assert signed.status_code == 200 and signed.get_json()["status"] == "active"
    small = rep.post("/sales/contracts", json={
        "name": "Small", "account_id": team["account"]["id"], "value": "900",
        "status": "active"})
    assert small.status_code == 201


def test_an_owner_without_a_manager_cannot_ask(admin, team):
    quote = admin.post("/sales/quotes", json={"name": "Admin's",
                                              "account_id": team["account"]["id"],
                                              "discount_percent": "50"}).get_json()
    response = admin.post(f"/sales/quotes/{quote['id']}/approval")
    assert response.status_code == 409 and "manager" in response.get_json()["detail"]


def test_settings_are_the_admins(team, admin):
    rep = team["rep"]
    assert rep.get("/sales/settings").get_json()["quote_discount_threshold"] == "10.00"
    assert rep.patch("/sales/settings", json={"quote_discount_threshold": None}
                     ).status_code == 403
    stale = admin.patch("/sales/settings", json={"contract_value_threshold": "1", "version": 99})
    assert stale.status_code == 409
    bad = admin.patch("/sales/settings", json={"quote_discount_threshold": "101"})
    assert bad.status_code == 422
