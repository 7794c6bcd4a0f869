"""Forecast and funnel figures against expectations computed by hand on a known data set.

Two reps, Ann (East) and Ben (West), each with four deals in the default pipeline (USD).
Every deal starts in "Initial contact" (position 1) and moves along ``path``:

=====  ======  ===========  =========  ==========================  ==================
deal   amount  closes       category   path                        stays in stage 1
=====  ======  ===========  =========  ==========================  ==================
A1     1000    2027-01-10   pipeline   → Demonstration (6)         2 days
A2     2000    2027-01-20   commit     → 3 → Verbal commitment (8) 4 days
A3      500    2027-02-05   —          → 2 → Won (10)              6 days, won day 10
A4      300    2027-02-10   —          → 4 → Lost                  8 days
B1      400    2027-01-31   best_case  (stays in 1)                —
B2     1000    2027-03-01   pipeline   → 2                         1 day
B3   250.50    2027-02-28   —          → Won (10)                  3 days, won day 20
B4      100    2027-01-05   omitted    → 2                         3 days
=====  ======  ===========  =========  ==========================  ==================
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from patron.db import db
from patron.testing.fixtures import in_tenant

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DEALS = {
    # name: (rep, amount, closes, category, path, days in stage 1, days to win)
    "A1": ("ann", "1000", "2027-01-10", "pipeline", ["Demonstration"], 2, None),
    "A2": ("ann", "2000", "2027-01-20", "commit",
           ["Meeting the decision maker", "Verbal commitment"], 4, None),
    "A3": ("ann", "500", "2027-02-05", None, ["Interest shown", "Won"], 6, 10),
    "A4": ("ann", "300", "2027-02-10", None, ["Needs identified", "Lost"], 8, None),
    "B1": ("ben", "400", "2027-01-31", "best_case", [], None, None),
    "B2": ("ben", "1000", "2027-03-01", "pipeline", ["Interest shown"], 1, None),
    "B3": ("ben", "250.50", "2027-02-28", None, ["Won"], 3, 20),
    "B4": ("ben", "100", "2027-01-05", "omitted", ["Interest shown"], 3, None),
}


def _backdate(app, tenant, deal_id: str, first_stage_id: str, stay: int | None,
              won_after: int | None) -> None:
    """Give the deal the known history: opened at T0, left stage 1 after ``stay`` days."""
    from patron_sales.models.deals import Opportunity, StageVisit

    deal_id, first_stage_id = uuid.UUID(deal_id), uuid.UUID(first_stage_id)
    with in_tenant(app, tenant):
        db.session.execute(update(Opportunity).where(Opportunity.id == deal_id).values(
            created_at=T0, **({"closed_at": T0 + timedelta(days=won_after)}
                              if won_after else {})))
        db.session.execute(update(StageVisit).where(
            StageVisit.opportunity_id == deal_id, StageVisit.stage_id == first_stage_id
        ).values(entered_at=T0, exited_at=T0 + timedelta(days=stay) if stay else None))


def _recount(app, tenant) -> None:
    """The history was rewritten behind the application's back: recompute the report totals
    from it, as the migration's backfill does."""
    from patron_sales.services.report_totals import rebuild

    with in_tenant(app, tenant):
        rebuild(db.session.connection(), tenant.id)


@pytest.fixture
def data(app, tenant, admin, make_user, stages):
    """The data set of the module docstring; returns the reps, departments and deal ids."""
    east = admin.post("/departments", json={"name": "East"}).get_json()["id"]
    west = admin.post("/departments", json={"name": "West"}).get_json()["id"]
    reps = {"ann": make_user(tenant, "sales_rep", department_id=east),
            "ben": make_user(tenant, "sales_rep", department_id=west)}
    accounts = {name: rep.post("/accounts", json={"name": f"{name}'s"}).get_json()["id"]
                for name, rep in reps.items()}
    ids = {}
    for name, (rep, amount, closes, category, path, stay, won_after) in DEALS.items():
        api = reps[rep]
        deal = api.post("/sales/opportunities", json={
            "name": name, "account_id": accounts[rep], "amount": amount, "currency": "USD",
            "expected_close_date": closes, **({"forecast_category": category}
                                             if category else {})}).get_json()
        for stage in path:
            moved = api.patch(f"/sales/opportunities/{deal['id']}",
                              json={"stage_id": stages[stage]["id"]})
            assert moved.status_code == 200, moved.get_json()
        _backdate(app, tenant, deal["id"], stages["Initial contact"]["id"], stay, won_after)
        ids[name] = deal["id"]
    _recount(app, tenant)
    return {"reps": reps, "ids": ids, "east": east, "west": west}


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_forecast_by_month_owner_department_and_category(admin, data):
    ann, ben = data["reps"]["ann"].user_id, data["reps"]["ben"].user_id
    rows = _rows(admin.get("/sales/forecast?from=2027-01&to=2027-02"))
    got = {(r["month"], r["owner_id"], r["department_id"], r["category"]):
           (r["count"], r["amount"], r["weighted_amount"], r["currency"]) for r in rows}
    assert got == {
        # A1: 1000 × 60 % in Demonstration; A2: 2000 × 80 %; B1: 400 × 5 %.
        ("2027-01", ann, data["east"], "pipeline"): (1, "1000.0000", "600.0000", "USD"),
        ("2027-01", ann, data["east"], "commit"): (1, "2000.0000", "1600.0000", "USD"),
        ("2027-01", ben, data["west"], "best_case"): (1, "400.0000", "20.0000", "USD"),
        # Won deals count in full as "closed"; A4 (lost), B2 (March), B4 (omitted) are out.
        ("2027-02", ann, data["east"], "closed"): (1, "500.0000", "500.0000", "USD"),
        ("2027-02", ben, data["west"], "closed"): (1, "250.5000", "250.5000", "USD"),
    }
    assert len(rows) == len(got)


def test_forecast_totals_per_month_and_category(admin, data):
    rows = _rows(admin.get("/sales/forecast?from=2027-01&to=2027-03&group_by="))
    assert [(r["month"], r["category"], r["count"], r["amount"], r["weighted_amount"])
            for r in rows] == [
        ("2027-01", "best_case", 1, "400.0000", "20.0000"),
        ("2027-01", "commit", 1, "2000.0000", "1600.0000"),
        ("2027-01", "pipeline", 1, "1000.0000", "600.0000"),
        ("2027-02", "closed", 2, "750.5000", "750.5000"),
        ("2027-03", "pipeline", 1, "1000.0000", "150.0000"),  # B2: 1000 × 15 %
    ]


def test_forecast_of_a_rep_covers_their_own_deals_only(data):
    ann = data["reps"]["ann"]
    rows = _rows(ann.get("/sales/forecast?group_by=owner"))
    assert {r["owner_id"] for r in rows} == {ann.user_id}
    assert sum(r["count"] for r in rows) == 3  # A1, A2, A3 (A4 is lost)


def test_funnel_for_everyone(admin, data, stages):
    (group,) = _rows(admin.get("/sales/funnel?currency=USD"))
    assert (group["deals"], group["open"], group["won"], group["lost"]) == (8, 5, 2, 1)
    assert group["win_rate"] == 0.6667  # 2 won of 3 closed
    assert group["average_deal_size"] == "375.2500"  # (500 + 250.50) / 2
    assert group["average_cycle_days"] == 15.0  # (10 + 20) / 2
    funnel = {s["name"]: s for s in group["stages"]}
    assert "Lost" not in funnel and list(funnel)[-1] == "Won"
    assert [s["reached"] for s in group["stages"]] == [8, 7, 5, 5, 4, 4, 3, 3, 2, 2]
    assert [s["conversion_to_next"] for s in group["stages"]] == [
        0.875, 0.7143, 1.0, 0.8, 1.0, 0.75, 1.0, 0.6667, 1.0, None]
    # Stage 1 was left after 2, 4, 6, 8, 1, 3 and 3 days (B1 is still there): 27 / 7.
    assert funnel["Initial contact"]["average_days"] == 3.86
    assert funnel["Won"]["average_days"] is None  # nobody left it


def test_funnel_by_owner_and_by_department(admin, data):
    ann, ben = data["reps"]["ann"].user_id, data["reps"]["ben"].user_id
    groups = {g["owner_id"]: g for g in _rows(admin.get("/sales/funnel?group_by=owner"))}
    assert set(groups) == {ann, ben}
    assert [s["reached"] for s in groups[ann]["stages"]] == [4, 4, 4, 4, 3, 3, 2, 2, 1, 1]
    assert [s["reached"] for s in groups[ben]["stages"]] == [4, 3, 1, 1, 1, 1, 1, 1, 1, 1]
    assert (groups[ann]["win_rate"], groups[ben]["win_rate"]) == (0.5, 1.0)
    assert (groups[ann]["average_deal_size"], groups[ben]["average_deal_size"]) == (
        "500.0000", "250.5000")
    assert (groups[ann]["average_cycle_days"], groups[ben]["average_cycle_days"]) == (
        10.0, 20.0)
    assert groups[ann]["stages"][0]["average_days"] == 5.0  # (2 + 4 + 6 + 8) / 4
    assert groups[ben]["stages"][1]["conversion_to_next"] == 0.3333
    by_department = {g["department_id"]: g for g in
                     _rows(admin.get("/sales/funnel?group_by=department"))}
    assert set(by_department) == {data["east"], data["west"]}
    assert by_department[data["east"]]["stages"] == groups[ann]["stages"]


def test_funnel_period_and_scope(admin, data):
    (group,) = _rows(admin.get("/sales/funnel?created_from=2026-06-01&created_to=2026-06-01"))
    assert group["deals"] == 8
    (empty,) = _rows(admin.get("/sales/funnel?created_from=2026-06-02"))
    assert (empty["deals"], empty["win_rate"], empty["average_deal_size"]) == (0, None, None)
    assert {s["reached"] for s in empty["stages"]} == {0}
    assert _rows(admin.get("/sales/funnel?created_from=2026-06-02&group_by=owner")) == []
    (own,) = _rows(data["reps"]["ben"].get("/sales/funnel"))
    assert own["deals"] == 4 and own["win_rate"] == 1.0


def test_report_arguments_are_checked(admin, data):
    for path, field in (("/sales/forecast?from=2027-13", "from"),
                        ("/sales/forecast?from=2027-03&to=2027-01", "to"),
                        ("/sales/forecast?group_by=team", "group_by"),
                        ("/sales/funnel?currency=usd", "currency"),
                        ("/sales/funnel?pipeline_id=nope", "pipeline_id"),
                        ("/sales/funnel?colour=red", "colour")):
        response = admin.get(path)
        assert response.status_code == 422, path
        assert field in response.get_json()["errors"], (path, response.get_json())


def test_quota_attainment(admin, data):
    ann, ben = data["reps"]["ann"], data["reps"]["ben"]
    # A3 (500) and B3 (250.50) were won in June 2026 (days 10 and 20 after T0).
    this_month = T0.date()
    for rep, amount in ((ann, "1000"), (ben, "250.5")):
        made = admin.post("/sales/quotas", json={"user_id": rep.user_id, "amount": amount,
                                                 "period_start": this_month.isoformat()})
        assert made.status_code == 201, made.get_json()
    admin.post("/sales/quotas", json={"user_id": ann.user_id, "amount": "700",
                                      "period_start": "2030-05-17"})
    month = this_month.strftime("%Y-%m")
    rows = _rows(admin.get(f"/sales/quota-attainment?from={month}&to={month}"))
    got = {r["user_id"]: (r["quota"], r["won"], r["deals"], r["attainment"]) for r in rows}
    assert got == {ann.user_id: ("1000.0000", "500.0000", 1, 0.5),
                   ben.user_id: ("250.5000", "250.5000", 1, 1.0)}
    later = _rows(admin.get("/sales/quota-attainment?from=2030-05"))
    assert [(r["month"], r["won"], r["attainment"]) for r in later] == [("2030-05", "0.0000",
                                                                         0.0)]
    assert [r["user_id"] for r in _rows(ben.get("/sales/quota-attainment"))] == [ben.user_id]
    assert ben.post("/sales/quotas", json={"amount": "1", "period_start": "2030-01-01"}
                    ).status_code == 403
    duplicate = admin.post("/sales/quotas", json={"user_id": ben.user_id, "amount": "1",
                                                  "period_start": this_month.isoformat()})
    assert duplicate.status_code == 409
