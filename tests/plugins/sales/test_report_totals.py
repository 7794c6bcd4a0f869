"""The forecast's and funnel's running totals follow every write of a deal, and the migration
that adds them fills them from the deals already there.

"In step" means: what the totals tables hold, summed per key, equals the same aggregate
computed from the deals and their stage history at that moment
(:data:`patron_sales.services.report_totals.TOTALS`' ``source``, the definition the migration's
backfill uses too).
"""

from __future__ import annotations

import math
import uuid

import pytest
from alembic import command
from sqlalchemy import func, select

from patron.db import db
from patron.db.migrations import alembic_config, migration_engine, upgrade
from patron.testing.fixtures import in_tenant

DEALS = "/sales/opportunities"


def _stored(totals) -> dict[tuple, tuple]:
    model = totals.model
    keys = [getattr(model, name) for name in totals.keys]
    rows = db.session.execute(
        select(*keys, *(func.sum(getattr(model, name)) for name in totals.measures))
        .group_by(*keys)).all()
    width = len(keys)
    return {tuple(row[:width]): tuple(row[width:]) for row in rows
            if any(not _near(value, 0) for value in row[width:])}


def _computed(totals) -> dict[tuple, tuple]:
    width = len(totals.keys)
    return {tuple(row[1:1 + width]): tuple(row[1 + width:])
            for row in db.session.execute(totals.source()).all()}


def _near(a, b) -> bool:
    return math.isclose(float(a or 0), float(b or 0), abs_tol=1e-6)


def assert_in_step(app, tenant) -> None:
    """The totals equal the deals' aggregate, key by key, sum by sum."""
    from patron_sales.services.report_totals import TOTALS

    with in_tenant(app, tenant):
        for totals in TOTALS:
            stored, computed = _stored(totals), _computed(totals)
            assert set(stored) == set(computed), (totals.model.__tablename__, stored, computed)
            for key, sums in computed.items():
                assert all(_near(a, b) for a, b in zip(stored[key], sums, strict=True)), (
                    totals.model.__tablename__, key, stored[key], sums)


def _forecast(api, **params) -> dict:
    response = api.get("/sales/forecast", query_string={"group_by": "owner", **params})
    assert response.status_code == 200, response.get_json()
    return {(r["month"], r["owner_id"], r["category"]): (r["count"], r["amount"],
                                                         r["weighted_amount"])
            for r in response.get_json()["items"]}


def _funnel(api) -> dict:
    response = api.get("/sales/funnel", query_string={"currency": "USD"})
    assert response.status_code == 200, response.get_json()
    (group,) = response.get_json()["items"]
    return group


@pytest.fixture
def deal(admin, account):
    """A 1000 USD deal closing in March 2027, in the first stage."""
    response = admin.post(DEALS, json={"name": "Big one", "account_id": account["id"],
                                       "amount": "1000", "currency": "USD",
                                       "expected_close_date": "2027-03-15"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_totals_follow_creates_moves_and_changes(app, tenant, admin, account, deal, stages):
    me = admin.user_id
    assert _forecast(admin) == {("2027-03", me, "pipeline"): (1, "1000.0000", "50.0000")}
    assert_in_step(app, tenant)

    moved = admin.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Evaluation and "
                                                                         "revision"]["id"]})
    assert moved.status_code == 200, moved.get_json()
    assert _forecast(admin) == {("2027-03", me, "pipeline"): (1, "1000.0000", "700.0000")}
    funnel = _funnel(admin)
    assert [s["reached"] for s in funnel["stages"]][:8] == [1, 1, 1, 1, 1, 1, 1, 0]
    assert funnel["stages"][0]["average_days"] is not None  # the first stay has ended
    assert_in_step(app, tenant)

    changed = admin.patch(f"{DEALS}/{deal['id']}", json={
        "amount": "2500.50", "expected_close_date": "2027-05-01", "forecast_category": "commit",
        "probability": 10, "currency": "EUR"})
    assert changed.status_code == 200, changed.get_json()
    assert _forecast(admin) == {("2027-05", me, "commit"): (1, "2500.5000", "250.0500")}
    assert_in_step(app, tenant)

    admin.patch(f"{DEALS}/{deal['id']}", json={"forecast_category": "omitted"})
    assert _forecast(admin) == {}
    assert_in_step(app, tenant)

    won = admin.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Won"]["id"]})
    assert won.status_code == 200, won.get_json()
    assert _forecast(admin) == {("2027-05", me, "closed"): (1, "2500.5000", "2500.5000")}
    funnel = _funnel(admin)
    assert (funnel["won"], funnel["open"], funnel["average_deal_size"]) == (1, 0, None)  # EUR
    assert funnel["average_cycle_days"] is not None
    assert_in_step(app, tenant)

    another = admin.post(DEALS, json={"name": "Small one", "account_id": account["id"],
                                      "amount": "10", "currency": "USD",
                                      "stage_id": stages["Lost"]["id"]})
    assert another.status_code == 201, another.get_json()
    funnel = _funnel(admin)
    assert (funnel["deals"], funnel["lost"], funnel["win_rate"]) == (2, 1, 0.5)
    assert_in_step(app, tenant)


def test_totals_follow_product_lines(app, tenant, admin, deal):
    printer = admin.post("/products", json={"sku": "P-1", "name": "Printer",
                                            "list_price": "199.99"}).get_json()
    admin.patch(f"{DEALS}/{deal['id']}", json={"amount_from_lines": True})
    line = admin.post(f"{DEALS}/{deal['id']}/lines", json={"product_id": printer["id"],
                                                            "quantity": "2"})
    assert line.status_code == 201, line.get_json()
    assert _forecast(admin) == {("2027-03", admin.user_id, "pipeline"): (
        1, "399.9800", "19.9990")}
    assert_in_step(app, tenant)


def test_totals_follow_an_owner_change_and_a_delete(app, tenant, admin, make_user, deal,
                                                    stages):
    from patron_sales.models.deals import Opportunity
    from patron_sales.services.opportunities import update_opportunity

    admin.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Interest shown"]["id"]})
    rep = make_user(tenant, "sales_rep")
    # No route hands a deal over yet; the record operation's update is what one would call.
    with in_tenant(app, tenant):
        record = db.session.get(Opportunity, (tenant.id, uuid.UUID(deal["id"])))
        update_opportunity(record, {"owner_id": uuid.UUID(rep.user_id)})
    assert set(_forecast(admin)) == {("2027-03", rep.user_id, "pipeline")}
    assert _forecast(rep) == {("2027-03", rep.user_id, "pipeline"): (1, "1000.0000",
                                                                     "150.0000")}
    assert_in_step(app, tenant)

    assert admin.delete(f"{DEALS}/{deal['id']}").status_code == 204
    assert _forecast(admin) == {}
    funnel = _funnel(admin)
    assert (funnel["deals"], [s["reached"] for s in funnel["stages"]][0]) == (0, 0)
    assert all(s["average_days"] is None for s in funnel["stages"])
    assert_in_step(app, tenant)


def test_totals_keep_to_their_tenant(app, tenant, other_tenant, admin, deal, auth,
                                     switch_module):
    other = auth.api(other_tenant)
    switch_module(other, "sales")
    assert _forecast(other) == {}
    assert _funnel(other)["deals"] == 0


def test_the_migration_fills_the_totals_from_existing_deals(app, tenant, admin, account, deal,
                                                            stages):
    admin.patch(f"{DEALS}/{deal['id']}", json={"stage_id": stages["Won"]["id"]})
    admin.post(DEALS, json={"name": "Second", "account_id": account["id"], "amount": "30",
                            "currency": "USD", "expected_close_date": "2027-04-01"})
    before = (_forecast(admin), _funnel(admin))
    with app.app_context():
        db.session.remove()
        engine = migration_engine()
        try:
            with engine.begin() as connection:  # back to before the totals existed
                command.downgrade(alembic_config(connection), "0003_sales_pool")
        finally:
            engine.dispose()
        upgrade()  # 0004 again: the tables, then the backfill from the deals
        db.engine.dispose()
    assert (_forecast(admin), _funnel(admin)) == before
    assert_in_step(app, tenant)
    with in_tenant(app, tenant):
        from patron_sales.models.reporting import ForecastTotal

        assert db.session.execute(select(func.count()).select_from(ForecastTotal)).scalar() == 2
