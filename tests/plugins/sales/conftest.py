"""Fixtures of the sales module's tests: the module switched on as a tenant admin would."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(auth, tenant, switch_module):
    """The admin of ``acme``, with the sales module enabled."""
    api = auth.api(tenant)
    switch_module(api, "sales")
    return api


@pytest.fixture
def account(admin):
    """An account of ``acme``, owned by its admin."""
    response = admin.post("/accounts", json={"name": "Initech", "domain": "initech.test"})
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def stages(admin):
    """The default pipeline's stages by name."""
    pipeline = admin.get("/sales/pipelines?is_default=true").get_json()["items"][0]
    return {stage["name"]: stage for stage in pipeline["stages"]}
