"""Batch-first writes (issue 11): an import of many rows goes through ``create_records`` and
``emit_many`` a batch at a time, and every record of a batch is still audited, searchable and
delivered to webhooks, exactly as one created through ``POST``.

Rows are imported through the API and the worker's own job (``tests/test_imports.py`` does the
same), with a small batch size so that an import spans several batches.
"""

from __future__ import annotations

import io
import json

import pytest

from patron.db import db, tenant_context
from patron.events.worker import run_once
from patron.imports.runner import run_queued_imports
from patron.modules import enable_module
from patron.testing.fixtures import in_tenant
from patron.testing.queries import counted_statements
from patron.testing.receiver import http_receiver

ROWS, BATCH = 25, 10


@pytest.fixture
def patron_config():
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
            "PATRON_OUTBOX_BACKOFF_SECONDS": 0}


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("batches"), fake_plugin("gated")]


def contacts_csv(count: int, start: int = 0) -> str:
    return "First name,Last name,Email\n" + "".join(
        f"Ada,Batchperson{i:04d}z,ada{i}@batch.test\n" for i in range(start, start + count))


def import_file(app, api, tenant, text: str, batch_size: int = BATCH,
                status: str = "done") -> dict:
    """Upload ``text`` as contacts, run the worker's import job, return the finished job."""
    response = api.post("/imports", data={"file": (io.BytesIO(text.encode()), "c.csv"),
                                          "resource": "contact"},
                        content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    with app.app_context(), tenant_context(tenant.id):
        run_queued_imports(batch_size)
        db.session.remove()
    job = api.get(f"/imports/{response.get_json()['id']}").get_json()
    assert job["status"] == status, job
    return job


def all_items(api, path: str) -> list[dict]:
    items, cursor = [], ""
    while True:
        page = api.get(f"{path}{'&' if '?' in path else '?'}limit=200{cursor}").get_json()
        items += page["items"]
        if not page["next_cursor"]:
            return items
        cursor = f"&cursor={page['next_cursor']}"


def test_every_batched_record_is_audited_searchable_and_delivered(app, auth, tenant):
    api = auth.api(tenant)
    with http_receiver() as receiver:
        hook = api.post("/webhooks", json={"url": receiver.url(), "events": ["contact.created"]})
        assert hook.status_code == 201, hook.get_json()
        job = import_file(app, api, tenant, contacts_csv(ROWS))
        assert job["counts"]["created"] == ROWS
        contacts = {c["id"]: c for c in all_items(api, "/contacts?q=Batchperson")}
        assert len(contacts) == ROWS

        audited = all_items(api, "/audit-events?entity=contact&action=create")
        assert sorted(a["record_id"] for a in audited) == sorted(contacts)
        for row in audited:
            contact = contacts[row["record_id"]]
            assert row["changes"]["email"] == [None, contact["email"]]
            assert row["actor_id"] == api.user_id

        for contact in contacts.values():
            hits = api.get(f"/search?q={contact['last_name']}").get_json()["items"]
            assert [(h["entity"], h["id"]) for h in hits] == [("contact", contact["id"])]

        while run_once_in(app):
            pass
        delivered = [json.loads(request.body) for request in receiver.received]
    assert sorted(body["data"]["id"] for body in delivered) == sorted(contacts)
    assert {body["event"] for body in delivered} == {"contact.created"}
    assert len({body["id"] for body in delivered}) == ROWS, "one event per record"


def run_once_in(app) -> int:
    with app.app_context():
        return run_once()


def test_batch_handlers_get_a_batch_and_the_others_each_event(app, auth, tenant, fake_plugin):
    batches, gated = fake_plugin("batches"), fake_plugin("gated")
    batches.BATCHES.clear()
    gated.CALLS.clear()
    with in_tenant(app, tenant):
        enable_module("batches")
        enable_module("gated")
    import_file(app, auth.api(tenant), tenant, contacts_csv(ROWS))
    assert [size for name, size in batches.BATCHES if name == "contact.created"] == [10, 10, 5]
    created = [call for call in gated.CALLS if call[2] == "contact.created"]
    assert len(created) == ROWS and {call[1] for call in created} == {tenant.id}


def test_a_batch_costs_the_same_statements_whatever_its_size(app, auth, tenant):
    """Writing a batch of rows runs a fixed number of statements, not some per row: the same
    for 5 rows as for 40 (one batch each)."""
    api = auth.api(tenant)
    import_file(app, api, tenant, contacts_csv(1, start=1000))  # caches warm, as in a worker
    counts = []
    for start, rows in ((0, 5), (100, 40)):
        with counted_statements(app) as statements:
            import_file(app, api, tenant, contacts_csv(rows, start), batch_size=1000)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_a_refused_row_of_a_batch_is_reported_by_its_line_and_nothing_is_written(app, auth,
                                                                               tenant):
    api = auth.api(tenant)
    assert api.post("/custom-fields", json={"entity": "contact", "name": "badge",
                                            "label": "Badge", "type": "text",
                                            "unique": True}).status_code == 201
    text = ("First name,Last name,Email,Badge\n"
            "Ada,One,one@batch.test,B-1\nAda,Two,two@batch.test,B-2\n"
            "Ada,Three,three@batch.test,B-1\n")
    job = import_file(app, api, tenant, text, status="failed")
    assert job["errors"] == [{"line": 4, "column": "Badge", "field": "custom.badge",
                              "message": "This value is already used."}]
    assert api.get("/contacts").get_json()["items"] == []
    assert all_items(api, "/audit-events?entity=contact") == []
