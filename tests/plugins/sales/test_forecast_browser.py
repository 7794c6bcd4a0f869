"""In a real browser at phone width: the forecast page draws its charts, and no sales page
is wider than the screen."""

from __future__ import annotations

from playwright.sync_api import expect


def test_charts_are_drawn_and_pages_fit_a_phone(page, sign_in, admin, account, stages, tenant):
    deal = admin.post("/sales/opportunities", json={
        "name": "Echo", "account_id": account["id"], "amount": "700",
        "expected_close_date": "2030-05-20"}).get_json()
    admin.patch(f"/sales/opportunities/{deal['id']}",
                json={"stage_id": stages["Demonstration"]["id"]})
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in()
    # Bootstrap must have bound the toggler before it is pressed (on a busy machine the
    # page shows before its scripts have run).
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Forecast").click()
    expect(page.locator("#forecast-table tbody tr")).to_have_count(1)
    for chart in ("forecast-chart", "funnel-chart"):  # once Chart.js has loaded and drawn
        page.wait_for_function(
            "id => window.Chart && Chart.getChart(document.getElementById(id))", arg=chart)
    weighted = page.evaluate("Chart.getChart(document.getElementById('forecast-chart'))"
                             ".data.datasets.map(d => d.data[0])")
    assert weighted == [0, 0, 0, 420]  # closed, commit, best case, pipeline: 700 × 60 %
    for path in ("/sales/forecast", "/sales/my-day", "/sales/team"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path
