"""A select narrowed by another field: a deal's stages are those of its pipeline, on the form
and again from ``/lookups/stage/options`` when the pipeline changes."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def signed_in(auth, tenant, client, switch_module):
    """The tenant's admin with the sales module on, signed in; returns the test client."""
    switch_module(auth.api(tenant), "sales")
    auth.login(tenant)
    return client


def stage_names(html: str) -> list[str]:
    return re.findall(r'<option value="[0-9a-f-]{36}"[^>]*>([^<]+)</option>', html)


def test_stages_follow_the_chosen_pipeline(signed_in, auth, tenant):
    api = auth.api(tenant)
    default = api.get("/sales/pipelines?is_default=true").get_json()["items"][0]
    renewals = api.post("/sales/pipelines", json={"name": "Renewals", "stages": [
        {"name": "Due", "probability": 50}, {"name": "Renewed", "probability": 100,
                                             "kind": "won"}]})
    assert renewals.status_code == 201, renewals.get_json()
    renewals = renewals.get_json()
    form = signed_in.get(f"/records/opportunity/new?pipeline_id={renewals['id']}").get_data(
        as_text=True)
    select = re.search(r'<select[^>]*name="stage_id".*?</select>', form, re.S).group(0)
    assert 'hx-get="/lookups/stage/options"' in select
    assert 'hx-trigger="change from:#f-pipeline_id"' in select
    assert stage_names(select) == ["Due", "Renewed"]
    options = signed_in.get(f"/lookups/stage/options?pipeline_id={default['id']}")
    assert stage_names(options.get_data(as_text=True)) == [  # in the pipeline's order
        stage["name"] for stage in sorted(default["stages"], key=lambda s: s["position"])]
    assert signed_in.get("/lookups/queue/options").status_code == 404  # narrowed by nothing
