"""The event catalogue: every event with its payload's JSON Schema at ``/api/v1/events``, and
the test kit's check that what is emitted is what is declared."""

from __future__ import annotations

import pytest

from patron.db import db
from patron.events import emit
from patron.events.catalogue import EventMismatch
from patron.testing.fixtures import assert_problem, in_tenant


def test_the_catalogue_lists_every_event_with_its_payload(auth, tenant, client,
                                                          switch_module):
    api = auth.api(tenant)
    switch_module(api, "sales")
    events = {e["name"]: e for e in api.get("/events").get_json()["items"]}
    # A record's own events, declared with its resource; the changes of an update.
    assert {"account.created", "account.updated", "account.deleted"} <= set(events)
    updated = events["account.updated"]["payload"]["properties"]
    assert {"id", "name", "owner_id", "custom", "changes"} <= set(updated)
    assert "changes" not in events["account.created"]["payload"]["properties"]
    # A module's own events, declared in its ModuleInfo.
    won = events["opportunity.won"]
    assert won["description"] == "A deal was won."
    assert won["payload"]["properties"]["amount"]["type"] == "string"
    stalled = events["opportunity.stalled"]["payload"]["properties"]
    assert set(stalled) == {"id", "name", "stage_id", "stage", "stalled_after_days",
                            "stage_entered_at", "owner_id", "manager_id"}
    assert stalled["stalled_after_days"]["type"] == "integer"
    assert events["token.created"]["payload"]["properties"]["user_id"]["format"] == "uuid"
    assert client.get("/api/v1/events").status_code == 401


def test_an_undeclared_event_or_an_other_payload_is_refused_under_test(app, tenant):
    with in_tenant(app, tenant):
        with pytest.raises(EventMismatch, match="not declared"):
            emit("account.noted", {"id": "x"})
        with pytest.raises(EventMismatch, match=r"missing \['name'\], undeclared \['n'\]"):
            emit("module.enabled", {"n": 1, "changes": {}})
        db.session.rollback()


def test_the_kit_captures_the_events_a_test_causes(auth, tenant, captured_events):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    api.patch(f"/accounts/{account['id']}", json={"name": "Initech GmbH"})
    named = [(name, payload.get("name")) for name, payload in captured_events
             if name.startswith("account.")]
    assert named == [("account.created", "Initech"), ("account.updated", "Initech GmbH")]
    assert captured_events[-1][1]["changes"]["name"] == ["Initech", "Initech GmbH"]


def test_the_kit_asserts_a_problem(auth, tenant):
    api = auth.api(tenant)
    problem = assert_problem(api.post("/accounts", json={"name": ""}), 422, fields=["name"])
    assert problem["errors"]["name"]
    with pytest.raises(AssertionError, match="no error for"):
        assert_problem(api.post("/accounts", json={"name": ""}), 422, fields=["domain"])
