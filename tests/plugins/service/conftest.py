"""Fixtures of the service module's tests: the module switched on as a tenant admin would."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(auth, tenant, switch_module):
    """The admin of ``acme``, with the service module enabled."""
    api = auth.api(tenant)
    switch_module(api, "service")
    return api


@pytest.fixture
def account(admin):
    """An account of ``acme``."""
    response = admin.post("/accounts", json={"name": "Initech", "domain": "initech.test"})
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def new_ticket(admin):
    """``new_ticket(**fields)`` → a ticket created through the API (subject given)."""

    def create(api=admin, **fields) -> dict:
        response = api.post("/service/tickets", json={"subject": "Printer jams", **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return create


@pytest.fixture
def actions():
    """``actions(api, record_id)``: the audit log's actions on a record, oldest first (every
    domain event is one)."""

    def of(api, record_id: str) -> list[str]:
        events = api.get(f"/audit-events?record_id={record_id}&sort=occurred_at&limit=200")
        return [e["action"] for e in events.get_json()["items"]]

    return of
