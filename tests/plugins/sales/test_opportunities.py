"""Opportunities: defaults from the pipeline, stage moves with history and events, details
(contacts with buying roles, product lines, competitors), data scopes, stalled deals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from patron.db import db
from patron.events.jobs import run_due_jobs
from patron.testing.fixtures import in_tenant

DEALS = "/sales/opportunities"


@pytest.fixture
def patron_config():
    """Webhooks may point at loopback (the stalled-deal test subscribes one; nothing listens)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def _deal(api, account, **fields) -> dict:
    response = api.post(DEALS, json={"name": "Printers", "account_id": account["id"], **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _actions(api, record_id: str) -> list[str]:
    events = api.get(f"/audit-events?record_id={record_id}&sort=occurred_at&limit=200")
    return [e["action"] for e in events.get_json()["items"]]


def test_new_deal_starts_in_the_first_open_stage_with_its_probability(admin, account, stages):
    deal = _deal(admin, account, amount="1500.25", expected_close_date="2027-01-15")
    assert deal["stage_id"] == stages["Initial contact"]["id"]
    assert (deal["probability"], deal["status"], deal["currency"]) == (5, "open", "USD")
    assert deal["amount"] == "1500.2500" and deal["owner_id"] == admin.user_id
    assert deal["stage_entered_at"] and deal["closed_at"] is None
    pinned = _deal(admin, account, stage_id=stages["Demonstration"]["id"], probability=65)
    assert pinned["probability"] == 65
    history = admin.get(f"{DEALS}/{deal['id']}/stage-history").get_json()["items"]
    assert [(v["stage_id"], v["exited_at"]) for v in history] == [
        (stages["Initial contact"]["id"], None)]


def test_stage_moves_are_recorded_and_announced(admin, account, stages):
    deal = _deal(admin, account, amount="900")
    moved = admin.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Demonstration"]["id"]})
    assert moved.status_code == 200
    assert moved.get_json()["probability"] == 60
    overridden = admin.patch(f"{DEALS}/{deal['id']}", json={
        "stage_id": stages["Verbal commitment"]["id"], "probability": 85}).get_json()
    assert overridden["probability"] == 85
    renamed = admin.patch(f"{DEALS}/{deal['id']}", json={"next_step": "Send contract"})
    assert renamed.get_json()["probability"] == 85  # no move, the override stays
    won = admin.patch(f"{DEALS}/{deal['id']}", json={
        "stage_id": stages["Won"]["id"], "win_loss_reason": "Best fit"}).get_json()
    assert (won["status"], won["probability"]) == ("won", 100) and won["closed_at"]
    history = admin.get(f"{DEALS}/{deal['id']}/stage-history").get_json()["items"]
    assert [v["stage_id"] for v in history] == [
        stages[name]["id"] for name in
        ("Initial contact", "Demonstration", "Verbal commitment", "Won")]
    assert all(v["exited_at"] for v in history[:-1]) and history[-1]["exited_at"] is None
    assert all(v["moved_by"] == admin.user_id for v in history)
    for earlier, later in zip(history, history[1:], strict=False):
        assert earlier["exited_at"] <= later["entered_at"]
    actions = _actions(admin, deal["id"])
    assert actions.count("opportunity.stage_changed") == 3
    assert "opportunity.won" in actions and "opportunity.lost" not in actions


def test_losing_a_deal_and_reopening_it(admin, account, stages):
    deal = _deal(admin, account)
    lost = admin.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Lost"]["id"],
                                                      "win_loss_reason": "Price"}).get_json()
    assert (lost["status"], lost["probability"], lost["win_loss_reason"]) == ("lost", 0, "Price")
    assert "opportunity.lost" in _actions(admin, deal["id"])
    reopened = admin.patch(f"{DEALS}/{deal['id']}", json={
        "stage_id": stages["Needs identified"]["id"]}).get_json()
    assert (reopened["status"], reopened["closed_at"]) == ("open", None)


def test_bad_deal_input_is_422_and_changes_nothing(admin, account, auth, other_tenant):
    foreign = auth.api(other_tenant).post("/accounts", json={"name": "Theirs"}).get_json()
    other_pipeline = admin.post("/sales/pipelines", json={"name": "Renewals"}).get_json()
    cases = [
        ({"account_id": foreign["id"]}, "account_id"),
        ({"stage_id": other_pipeline["stages"][0]["id"]}, "stage_id"),
        ({"amount": "1.23456"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"currency": "euro"}, "currency"),
        ({"probability": 101}, "probability"),
        ({"forecast_category": "maybe"}, "forecast_category"),
        ({"status": "won"}, "status"),
    ]
    for extra, field in cases:
        response = admin.post(DEALS, json={"name": "Bad", "account_id": account["id"], **extra})
        assert response.status_code == 422, (extra, response.get_json())
        assert field in response.get_json()["errors"], response.get_json()
    assert admin.get(f"{DEALS}?count=true").get_json()["total"] == 0
    deal = _deal(admin, account)
    response = admin.patch(f"{DEALS}/{deal['id']}", json={
        "name": "Renamed", "stage_id": other_pipeline["stages"][0]["id"]})
    assert response.status_code == 422
    assert admin.get(f"{DEALS}/{deal['id']}").get_json() == deal
    assert len(admin.get(f"{DEALS}/{deal['id']}/stage-history").get_json()["items"]) == 1


def test_moving_to_another_pipeline_takes_its_first_open_stage(admin, account):
    renewals = admin.post("/sales/pipelines", json={"name": "Renewals", "stages": [
        {"name": "Due", "probability": 50}, {"name": "Renewed", "probability": 100,
                                             "kind": "won"}]}).get_json()
    deal = _deal(admin, account)
    moved = admin.patch(f"{DEALS}/{deal['id']}", json={"pipeline_id": renewals["id"]}).get_json()
    assert (moved["pipeline_id"], moved["stage_id"], moved["probability"]) == (
        renewals["id"], renewals["stages"][0]["id"], 50)


def test_contacts_with_buying_roles(admin, account):
    deal = _deal(admin, account)
    buyer = admin.post("/contacts", json={"last_name": "Buyer"}).get_json()
    coach = admin.post("/contacts", json={"last_name": "Coach"}).get_json()
    path = f"{DEALS}/{deal['id']}/contacts"
    first = admin.post(path, json={"contact_id": buyer["id"], "role": "economic_buyer",
                                   "is_primary": True})
    assert first.status_code == 201, first.get_json()
    second = admin.post(path, json={"contact_id": coach["id"], "role": "coach",
                                    "is_primary": True}).get_json()
    assert admin.post(path, json={"contact_id": buyer["id"], "role": "user"}).status_code == 422
    assert admin.post(path, json={"contact_id": buyer["id"], "role": "boss"}).status_code == 422
    roles = {c["contact_id"]: (c["role"], c["is_primary"])
             for c in admin.get(path).get_json()["items"]}
    assert roles == {buyer["id"]: ("economic_buyer", False), coach["id"]: ("coach", True)}
    changed = admin.patch(f"{path}/{second['id']}", json={"role": "technical_evaluator"})
    assert changed.status_code == 200 and changed.get_json()["role"] == "technical_evaluator"
    assert admin.delete(f"{path}/{second['id']}").status_code == 204
    assert len(admin.get(path).get_json()["items"]) == 1
    assert admin.delete(f"{path}/{second['id']}").status_code == 404


def test_sales_team_members(admin, tenant, account, make_user):
    deal = _deal(admin, account)
    engineer = make_user(tenant, "sales_rep")
    path = f"{DEALS}/{deal['id']}/team"
    added = admin.post(path, json={"user_id": engineer.user_id, "role": "Sales engineer"})
    assert added.status_code == 201, added.get_json()
    again = admin.post(path, json={"user_id": engineer.user_id, "role": "Support"})
    assert again.status_code == 422 and "user_id" in again.get_json()["errors"]
    stranger = admin.post(path, json={"user_id": deal["id"], "role": "Ghost"})
    assert stranger.status_code == 422
    assert [(m["user_id"], m["role"]) for m in admin.get(path).get_json()["items"]] == [
        (engineer.user_id, "Sales engineer")]


def test_product_lines_total_the_deal_in_decimal(admin, account):
    printer = admin.post("/products", json={"sku": "P-1", "name": "Printer",
                                            "list_price": "199.99"}).get_json()
    toner = admin.post("/products", json={"sku": "T-1", "name": "Toner", "list_price": "0.10",
                                          "currency": "EUR"}).get_json()
    deal = _deal(admin, account, amount="5")
    assert deal["amount_from_lines"] is False  # typed in: lines do not replace it
    path = f"{DEALS}/{deal['id']}/lines"
    line = admin.post(path, json={"product_id": printer["id"], "quantity": "3",
                                  "discount_percent": "12.5"}).get_json()
    # 3 × 199.99 = 599.97, less 12.5 % = 524.97375 → 524.9738 (half up)
    assert (line["unit_price"], line["amount"]) == ("199.9900", "524.9738")
    assert admin.get(f"{DEALS}/{deal['id']}").get_json()["amount"] == "5.0000"
    following = admin.patch(f"{DEALS}/{deal['id']}", json={"amount_from_lines": True})
    assert following.get_json()["amount"] == "524.9738"  # the sum, at once
    refused = admin.post(path, json={"product_id": toner["id"], "quantity": "10"})
    assert refused.status_code == 422 and "unit_price" in refused.get_json()["errors"]
    admin.post(path, json={"product_id": toner["id"], "quantity": "3", "unit_price": "0.10"})
    assert admin.get(f"{DEALS}/{deal['id']}").get_json()["amount"] == "525.2738"
    admin.patch(f"{path}/{line['id']}", json={"discount_percent": "0"})
    assert admin.get(f"{DEALS}/{deal['id']}").get_json()["amount"] == "600.2700"
    assert admin.post(path, json={"product_id": printer["id"], "quantity": "1",
                                  "discount_percent": "100.5"}).status_code == 422


def test_competitors_with_swot(admin, account):
    deal = _deal(admin, account)
    path = f"{DEALS}/{deal['id']}/competitors"
    made = admin.post(path, json={"name": "Globex", "strengths": "Price",
                                  "weaknesses": "Support", "opportunities": "Bundle",
                                  "threats": "Incumbent"})
    assert made.status_code == 201
    row = made.get_json()
    assert admin.get(path).get_json()["items"] == [row]
    stale = admin.patch(f"{path}/{row['id']}", json={"threats": "None", "version": 99})
    assert stale.status_code == 409
    assert admin.post(path, json={"strengths": "No name"}).status_code == 422


def test_reps_own_deals_and_their_details(admin, tenant, make_user, account):
    alice, bob = make_user(tenant, "sales_rep"), make_user(tenant, "sales_rep")
    theirs = alice.post("/accounts", json={"name": "Alice's account"}).get_json()
    deal = _deal(alice, theirs)
    assert [d["id"] for d in alice.get(DEALS).get_json()["items"]] == [deal["id"]]
    assert bob.get(DEALS).get_json()["items"] == []
    for response in (
        bob.get(f"{DEALS}/{deal['id']}"),
        bob.patch(f"{DEALS}/{deal['id']}", json={"name": "Mine"}),
        bob.get(f"{DEALS}/{deal['id']}/stage-history"),
        bob.get(f"{DEALS}/{deal['id']}/contacts"),
        bob.post(f"{DEALS}/{deal['id']}/competitors", json={"name": "X"}),
    ):
        assert response.status_code == 404
    # A rep cannot open a deal on an account outside their scope either.
    refused = bob.post(DEALS, json={"name": "Sneaky", "account_id": account["id"]})
    assert refused.status_code == 422 and "account_id" in refused.get_json()["errors"]
    assert alice.delete(f"{DEALS}/{deal['id']}").status_code == 403


def test_stalled_deals_are_flagged_once_and_cleared_by_a_move(app, admin, tenant, account,
                                                              stages, make_user):
    manager = make_user(tenant, "sales_manager")
    admin.patch(f"/users/{admin.user_id}", json={"manager_id": manager.user_id})
    hook = admin.post("/webhooks", json={"url": "http://127.0.0.1:9/hook",
                                         "events": ["opportunity.stalled"]})
    assert hook.status_code == 201, hook.get_json()
    first = stages["Initial contact"]
    assert admin.patch(f"/sales/stages/{first['id']}",
                       json={"stalled_after_days": 10}).status_code == 200
    old, fresh = _deal(admin, account, name="Old"), _deal(admin, account, name="Fresh")
    with in_tenant(app, tenant):
        from patron_sales.models.deals import Opportunity

        db.session.execute(update(Opportunity).where(Opportunity.name == "Old").values(
            stage_entered_at=datetime.now(UTC) - timedelta(days=11)))
    with app.app_context():
        run_due_jobs(datetime.now(UTC))
        run_due_jobs(datetime.now(UTC) + timedelta(hours=2))  # flagged once, not again
    flagged = admin.get(f"{DEALS}?stalled_at__gte=2000-01-01T00:00:00%2B00:00").get_json()
    assert [d["id"] for d in flagged["items"]] == [old["id"]]
    assert _actions(admin, fresh["id"]).count("opportunity.stalled") == 0
    stalled = admin.get("/audit-events?action=opportunity.stalled").get_json()["items"]
    assert [e["record_id"] for e in stalled] == [old["id"]]
    with in_tenant(app, tenant):
        from patron.events.models import OutboxMessage

        queued = db.session.execute(select(OutboxMessage.payload)).scalars().all()
    assert [(m["event"], m["data"]["id"], m["data"]["owner_id"], m["data"]["manager_id"])
            for m in queued] == [("opportunity.stalled", old["id"], admin.user_id,
                                  manager.user_id)]
    [notice] = admin.get("/me/notifications").get_json()["items"]  # the owner hears of it
    assert notice["text"] == "The deal Old has stalled in Initial contact."
    assert notice["link"] == f"/sales/deals/{old['id']}"
    moved = admin.patch(f"{DEALS}/{old['id']}", json={"stage_id": stages["Interest shown"]["id"]})
    assert moved.get_json()["stalled_at"] is None


def test_pipeline_and_stage_rules(admin, account, stages):
    default = admin.get("/sales/pipelines?is_default=true").get_json()["items"][0]
    assert admin.delete(f"/sales/pipelines/{default['id']}").status_code == 409
    extra = admin.post("/sales/stages", json={"name": "Legal review", "probability": 95})
    assert extra.status_code == 201
    assert (extra.get_json()["pipeline_id"], extra.get_json()["position"]) == (default["id"], 12)
    used = _deal(admin, account)
    assert admin.delete(f"/sales/stages/{used['stage_id']}").status_code == 409
    assert admin.delete(f"/sales/stages/{extra.get_json()['id']}").status_code == 204
    other = admin.post("/sales/pipelines", json={"name": "Partners", "is_default": True})
    assert other.status_code == 201
    pipelines = {p["name"]: p["is_default"] for p in admin.get("/sales/pipelines").get_json()[
        "items"]}
    assert pipelines == {"Sales": False, "Partners": True}
    assert admin.post("/sales/pipelines", json={"name": "Closed only", "stages": [
        {"name": "Won", "probability": 100, "kind": "won"}]}).status_code == 422
