"""The customer pool: rules return idle accounts, reps claim up to their role's limit and
release their own, every move is recorded, audited and announced."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from patron.auth.models import User
from patron.customers.models import Account
from patron.db import db
from patron.db.mixins import utcnow
from patron.events.models import OutboxMessage
from patron.testing.fixtures import in_tenant
from patron_sales.services.pool import claim, return_idle_accounts

POOL, RULES, SETTINGS = "/sales/pool", "/sales/pool-rules", "/sales/pool-settings"


@pytest.fixture
def patron_config():
    """The webhook that collects the pool's events points at loopback (nothing listens)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


@pytest.fixture
def team(admin, tenant, make_user):
    """A sales manager and two reps reporting to them."""
    manager = make_user(tenant, "sales_manager")
    rita, sam = make_user(tenant, "sales_rep"), make_user(tenant, "sales_rep")
    for rep in (rita, sam):
        assert admin.patch(f"/users/{rep.user_id}",
                           json={"manager_id": manager.user_id}).status_code == 200
    return {"manager": manager, "rita": rita, "sam": sam}


def _rule(api, **fields) -> dict:
    response = api.post(RULES, json={"name": "Idle", "kind": "no_follow_up", "days": 30,
                                     **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _account(api, name: str, **fields) -> dict:
    response = api.post("/accounts", json={"name": name, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _pooled(api, name: str) -> dict:
    response = api.post(POOL, json={"name": name})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _pool_names(api) -> set[str]:
    response = api.get(POOL)
    assert response.status_code == 200, response.get_json()
    return {account["name"] for account in response.get_json()["items"]}


def _apply_rules(app, tenant, now) -> int:
    with in_tenant(app, tenant):
        return return_idle_accounts(now)


def _backdate(app, tenant, days: int) -> None:
    """Accounts made in the test become ``days`` old (data that was there before)."""
    with in_tenant(app, tenant):
        db.session.execute(update(Account).values(created_at=utcnow() - timedelta(days=days)))


def test_an_idle_account_returns_to_the_pool_recorded_and_announced(app, tenant, admin, team):
    rita, manager = team["rita"], team["manager"]
    hook = admin.post("/webhooks", json={"url": "http://127.0.0.1:9/hook",
                                         "events": ["account.returned_to_pool"]})
    assert hook.status_code == 201, hook.get_json()
    idle = _account(rita, "Idle Ltd")
    rule = _rule(manager, name="Idle prospects")
    assert _apply_rules(app, tenant, utcnow() + timedelta(days=29)) == 0
    assert _apply_rules(app, tenant, utcnow() + timedelta(days=31)) == 1
    assert _apply_rules(app, tenant, utcnow() + timedelta(days=31)) == 0  # already there

    assert rita.get(f"/accounts/{idle['id']}").status_code == 404  # no longer hers
    listed = rita.get(POOL).get_json()["items"]
    assert [(a["id"], a["owner_id"]) for a in listed] == [(idle["id"], None)]
    moves = rita.get(f"{POOL}/{idle['id']}/moves").get_json()["items"]
    assert [(m["from_owner_id"], m["to_owner_id"], m["reason"], m["moved_by"])
            for m in moves] == [(rita.user_id, None, "rule", None)]
    assert rule["name"] in moves[0]["detail"] and "30 days" in moves[0]["detail"]

    audit = admin.get(f"/audit-events?record_id={idle['id']}&sort=occurred_at").get_json()
    events = [(e["action"], e["changes"].get("owner_id")) for e in audit["items"]]
    assert ("update", [rita.user_id, None]) in events  # through the core's record update
    assert ("account.returned_to_pool", [rita.user_id, None]) in events
    with in_tenant(app, tenant):
        queued = db.session.execute(select(OutboxMessage.payload)).scalars().all()
    assert [(m["event"], m["data"]["id"], m["data"]["previous_owner_id"],
             m["data"]["manager_id"]) for m in queued] == [
        ("account.returned_to_pool", idle["id"], rita.user_id, manager.user_id)]


def test_rules_spare_followed_up_won_and_other_status_accounts(app, tenant, team, stages):
    rita, manager = team["rita"], team["manager"]
    for name in ("Quiet", "Called"):
        _account(rita, name)
    for name in ("Active quiet", "Active winner"):
        _account(rita, name, status="active")
    _backdate(app, tenant, days=40)
    called = rita.get("/accounts?name=Called").get_json()["items"][0]
    assert rita.post("/activities", json={"kind": "call_out", "subject": "Checking in",
                                          "account_id": called["id"]}).status_code == 201
    winner = rita.get("/accounts?name=Active%20winner").get_json()["items"][0]
    deal = rita.post("/sales/opportunities", json={"name": "Renewal",
                                                   "account_id": winner["id"]}).get_json()
    won = rita.patch(f"/sales/opportunities/{deal['id']}", json={"stage_id": stages["Won"]["id"]})
    assert won.get_json()["status"] == "won"
    _rule(manager, account_status="prospect")
    _rule(manager, name="No wins", kind="no_win", account_status="active")

    assert _apply_rules(app, tenant, utcnow()) == 2
    assert _pool_names(rita) == {"Quiet", "Active quiet"}
    mine = {a["name"] for a in rita.get("/accounts").get_json()["items"]}
    assert mine == {"Called", "Active winner"}


def test_claims_stop_at_the_roles_limit_and_change_nothing_beyond(admin, team):
    rita, sam, manager = team["rita"], team["sam"], team["manager"]
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    limits = manager.patch(SETTINGS, json={"claim_limits": {role: 2}})
    assert limits.status_code == 200, limits.get_json()
    assert rita.get(SETTINGS).get_json()["claim_limits"] == {role: 2}
    first, second, third = (_pooled(admin, name) for name in ("One", "Two", "Three"))

    for account in (first, second):
        claimed = rita.post(f"{POOL}/{account['id']}/claim")
        assert claimed.status_code == 200, claimed.get_json()
        assert claimed.get_json()["owner_id"] == rita.user_id
    refused = rita.post(f"{POOL}/{third['id']}/claim")
    assert refused.status_code == 409 and "limit" in refused.get_json()["detail"]
    assert _pool_names(sam) == {"Three"}
    assert sam.get(f"{POOL}?count=true&q=thr").get_json()["total"] == 1
    assert len(sam.get(f"{POOL}/{third['id']}/moves").get_json()["items"]) == 1  # added
    assert admin.get(f"/accounts/{third['id']}").get_json()["version"] == third["version"]

    # Someone else's account is not in the pool: 404 out of scope, 409 within it.
    assert sam.post(f"{POOL}/{first['id']}/claim").status_code == 404
    assert admin.post(f"{POOL}/{first['id']}/claim").status_code == 409
    assert admin.get(f"/accounts/{first['id']}").get_json()["owner_id"] == rita.user_id

    released = rita.post(f"{POOL}/{first['id']}/release", json={"detail": "Not a fit"})
    assert released.status_code == 200 and released.get_json()["owner_id"] is None
    assert rita.post(f"{POOL}/{third['id']}/claim").status_code == 200
    assert sam.post(f"{POOL}/{first['id']}/claim").status_code == 200
    moves = sam.get(f"{POOL}/{first['id']}/moves").get_json()["items"]
    assert [(m["reason"], m["from_owner_id"], m["to_owner_id"], m["detail"])
            for m in moves] == [
        ("added", admin.user_id, None, None), ("claimed", None, rita.user_id, None),
        ("released", rita.user_id, None, "Not a fit"), ("claimed", None, sam.user_id, None)]
    actions = [e["action"] for e in admin.get(
        f"/audit-events?record_id={first['id']}&sort=occurred_at").get_json()["items"]]
    assert actions.count("account.claimed") == 2
    assert actions.count("account.returned_to_pool") == 1


def test_release_is_the_owners_and_reading_is_everyones(admin, tenant, team, make_user):
    rita, sam = team["rita"], team["sam"]
    theirs = _account(rita, "Rita's")
    assert sam.post(f"{POOL}/{theirs['id']}/release", json={}).status_code == 404
    assert sam.get(f"{POOL}/{theirs['id']}/moves").status_code == 404
    assert rita.get(f"{POOL}/{theirs['id']}/moves").get_json()["items"] == []
    assert rita.post(f"{POOL}/{theirs['id']}/release", json={}).status_code == 200
    assert admin.post(f"{POOL}/{theirs['id']}/release", json={}).status_code == 409
    # A pool manager releases any account in their scope.
    other = _account(rita, "Rita's other")
    assert admin.post(f"{POOL}/{other['id']}/release", json={}).status_code == 200
    # Pool accounts have no owner: every reader sees them, whatever their scope.
    assert _pool_names(sam) == {"Rita's", "Rita's other"}
    assert sam.get(f"{POOL}/{theirs['id']}/moves").status_code == 200
    assert make_user(tenant, "read_only").get(POOL).status_code == 200
    assert make_user(tenant, "technician").get(POOL).status_code == 403
    assert sam.post(RULES, json={"name": "Mine", "kind": "no_win", "days": 5}).status_code == 403
    assert sam.patch(SETTINGS, json={"claim_limits": {}}).status_code == 403
    assert sam.post(POOL, json={"name": "Sneaky"}).status_code == 403


def test_another_tenant_sees_nothing(admin, auth, other_tenant, switch_module, team):
    pooled = _pooled(admin, "Acme secret")
    rule = _rule(team["manager"])
    globex = auth.api(other_tenant)
    switch_module(globex, "sales")
    assert _pool_names(globex) == set()
    assert globex.get(RULES).get_json()["items"] == []
    assert globex.post(f"{POOL}/{pooled['id']}/claim").status_code == 404
    assert globex.post(f"{POOL}/{pooled['id']}/release", json={}).status_code == 404
    assert globex.get(f"{POOL}/{pooled['id']}/moves").status_code == 404
    assert globex.get(f"{RULES}/{rule['id']}").status_code == 404
    assert globex.patch(f"{RULES}/{rule['id']}", json={"days": 1}).status_code == 404
    assert globex.delete(f"{RULES}/{rule['id']}").status_code == 404
    assert _pool_names(admin) == {"Acme secret"}
    assert admin.get(f"{RULES}/{rule['id']}").get_json()["days"] == 30


def test_bad_input_is_422_and_changes_nothing(admin, team):
    manager = team["manager"]
    bad = manager.post(RULES, json={"name": "", "kind": "sometime", "days": 0,
                                    "account_status": "vip"})
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"name", "kind", "days", "account_status"}
    assert manager.get(RULES).get_json()["items"] == []
    rule = _rule(manager)
    assert manager.patch(f"{RULES}/{rule['id']}", json={"days": -1}).status_code == 422
    stale = manager.patch(f"{RULES}/{rule['id']}", json={"days": 7, "version": 0})
    assert stale.status_code == 409
    changed = manager.patch(f"{RULES}/{rule['id']}", json={"days": 7, "active": False})
    assert changed.status_code == 200 and changed.get_json()["days"] == 7
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    unknown = manager.patch(SETTINGS, json={"claim_limits": {rule["id"]: 3}})
    assert unknown.status_code == 422 and "claim_limits" in unknown.get_json()["errors"]
    negative = manager.patch(SETTINGS, json={"claim_limits": {role: -1}})
    assert negative.status_code == 422
    assert manager.get(SETTINGS).get_json()["claim_limits"] == {}
    assert admin.get(f"{POOL}?sort=nonsense").status_code == 422
    assert admin.post(POOL, json={"name": "No status", "status": "vip"}).status_code == 422
    assert _pool_names(admin) == set()
    assert manager.delete(f"{RULES}/{rule['id']}").status_code == 204
    assert manager.get(RULES).get_json()["items"] == []


def _waiting_on_a_lock(app) -> bool:
    with app.app_context():
        return db.session.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")).scalar_one() > 0


def test_two_claims_at_once_cannot_pass_the_limit(app, admin, team, tenant):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite runs one write transaction at a time: no two claims overlap")
    rita = team["rita"]
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    assert team["manager"].patch(SETTINGS, json={"claim_limits": {role: 1}}).status_code == 200
    first, second = _pooled(admin, "First"), _pooled(admin, "Second")
    answers: list = []
    claimer = threading.Thread(
        target=lambda: answers.append(rita.post(f"{POOL}/{second['id']}/claim")))
    # One claim is under way in this transaction while Rita's second one arrives.
    with in_tenant(app, tenant):
        user = db.session.get(User, (tenant.id, uuid.UUID(rita.user_id)))
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
        claimer.start()
        while claimer.is_alive() and not _waiting_on_a_lock(app):
            claimer.join(0.05)
        claim(db.session.get(Account, (tenant.id, uuid.UUID(first["id"]))), user)
    claimer.join(30)
    assert answers[0].status_code == 409, answers[0].get_json()
    held = {a["name"] for a in rita.get("/accounts").get_json()["items"]}
    assert held == {"First"}
