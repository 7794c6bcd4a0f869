"""The forecast and funnel page against figures computed by hand.

Ann (East) owns A (1000 USD, closes 2027-01-15, "Initial contact" 5 %, pipeline) and B (2000,
2027-01-20, "Demonstration" 60 %, commit); Ben (West) owns C (400, 2027-02-10, won).
Weighted: A 50, B 1200, C 400 (closed, in full).
"""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def reps(admin, tenant, make_user, stages):
    east = admin.post("/departments", json={"name": "East"}).get_json()["id"]
    west = admin.post("/departments", json={"name": "West"}).get_json()["id"]
    ann = make_user(tenant, "sales_rep", department_id=east, name="Ann")
    ben = make_user(tenant, "sales_rep", department_id=west, name="Ben")
    for rep, name, amount, closes, category, stage in (
            (ann, "A", "1000", "2027-01-15", "pipeline", None),
            (ann, "B", "2000", "2027-01-20", "commit", "Demonstration"),
            (ben, "C", "400", "2027-02-10", "pipeline", "Won")):
        account = rep.post("/accounts", json={"name": f"{name} Ltd"}).get_json()["id"]
        deal = rep.post("/sales/opportunities", json={
            "name": name, "account_id": account, "amount": amount, "currency": "USD",
            "expected_close_date": closes, "forecast_category": category}).get_json()
        if stage:
            moved = rep.patch(f"/sales/opportunities/{deal['id']}",
                              json={"stage_id": stages[stage]["id"]})
            assert moved.status_code == 200, moved.get_json()
    return {"ann": ann, "ben": ben, "east": east, "west": west}


def _table(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]*id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                      re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _chart(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="chart-data">(.*?)</script>',
                                html, re.S).group(1))


def test_everyone_forecast_and_funnel(admin, reps):
    page = admin.open("/sales/forecast")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _table(html, "forecast-table") == [
        ["2027-01", "Commit", "1", "$2,000.00", "$1,200.00"],
        ["2027-01", "Pipeline", "1", "$1,000.00", "$50.00"],
        ["2027-02", "Closed", "1", "$400.00", "$400.00"],
    ]
    assert "$3,400.00" in html and "$1,650.00" in html  # totals
    chart = _chart(html)
    assert chart["months"] == ["2027-01", "2027-02"]
    assert {c["label"]: c["values"] for c in chart["categories"]} == {
        "Closed": [0, 400.0], "Commit": [1200.0, 0], "Best case": [0, 0],
        "Pipeline": [50.0, 0]}
    funnel = _table(html, "funnel-table")
    reached = {row[0]: row[1] for row in funnel}
    # Everyone reached stage 1; B (Demonstration) and C (Won) reached Demonstration.
    assert (reached["Initial contact"], reached["Demonstration"], reached["Won"]) == (
        "3", "2", "1")
    assert chart["reached"] == [int(row[1]) for row in funnel]
    assert funnel[0][2] == "66.7 %"  # 2 of 3 reached "Interest shown"
    assert "chart.umd.min.js" in html


def test_filters_by_owner_department_and_period(admin, reps):
    ann = admin.open(f"/sales/forecast?owner={reps['ann'].user_id}").get_data(as_text=True)
    assert [row[:3] for row in _table(ann, "forecast-table")] == [
        ["2027-01", "Commit", "1"], ["2027-01", "Pipeline", "1"]]
    assert {row[0]: row[1] for row in _table(ann, "funnel-table")}["Initial contact"] == "2"
    west = admin.open(f"/sales/forecast?department={reps['west']}").get_data(as_text=True)
    assert _table(west, "forecast-table") == [
        ["2027-02", "Closed", "1", "$400.00", "$400.00"]]
    february = admin.open("/sales/forecast?from=2027-02&to=2027-02").get_data(as_text=True)
    assert [row[0] for row in _table(february, "forecast-table")] == ["2027-02"]
    nobody = admin.open("/sales/forecast?currency=EUR").get_data(as_text=True)
    assert "No deals in the forecast." in nobody
    other = admin.post("/sales/pipelines", json={"name": "Renewals"}).get_json()["id"]
    renewals = admin.open(f"/sales/forecast?pipeline_id={other}").get_data(as_text=True)
    assert f'<option value="{other}" selected>Renewals</option>' in renewals
    assert "No deals in the forecast." in renewals


def test_a_rep_sees_their_own_figures_and_bad_filters_are_explained(reps):
    html = reps["ben"].open("/sales/forecast").get_data(as_text=True)
    assert _table(html, "forecast-table") == [
        ["2027-02", "Closed", "1", "$400.00", "$400.00"]]
    assert "Ann" not in re.search(r'id="f-owner".*?</select>', html, re.S).group(0)
    refused = reps["ben"].open("/sales/forecast?from=2027-13&to=2027-01&owner=nope")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="f-from-error"' in html and 'id="f-owner-error"' in html
    assert "No deals in the forecast." in html


def test_page_needs_the_forecast_permission_and_the_module(admin, tenant, make_user,
                                                           switch_module):
    admin.post("/roles", json={"key": "deals_only", "name": "Deals only",
                               "permissions": ["sales.opportunities.read"]})
    assert make_user(tenant, "deals_only").open("/sales/forecast").status_code == 403
    switch_module(admin, "sales", False)
    assert admin.open("/sales/forecast").status_code == 404
