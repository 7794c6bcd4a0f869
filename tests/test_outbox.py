"""The transactional outbox, its worker, scheduled jobs and their commands (invariants 3, 4).

A fake plugin (``tests/fake_plugins/recorder.py``) provides an outbox channel that can be told
to fail and a scheduled job; everything between the API and that channel is the real thing.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select, update

from patron.console import cli
from patron.customers.models import Account
from patron.customers.schemas import AccountSchema
from patron.db import TenantContextMissing, db, tenant_context
from patron.db.mixins import utcnow
from patron.events import emit
from patron.events.jobs import run_due_jobs, scheduled_jobs
from patron.events.models import DEAD, DELIVERED, PENDING, OutboxMessage
from patron.events.worker import claim, replay_dead, run_once
from patron.modules import enable_module
from patron.tenancy.models import Tenant
from patron.testing.databases import postgres_admin_url
from patron.testing.fixtures import in_tenant

MAX_ATTEMPTS = 4


@pytest.fixture
def patron_config():
    return {"PATRON_OUTBOX_BACKOFF_SECONDS": 0, "PATRON_OUTBOX_MAX_ATTEMPTS": MAX_ATTEMPTS}


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("recorder")]


def messages(app, tenant) -> list[OutboxMessage]:
    """The tenant's outbox, oldest first."""
    with in_tenant(app, tenant):
        return db.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.id)
        ).scalars().all()


def deliver(app) -> int:
    """One batch of the worker, as ``patron worker`` runs it."""
    with app.app_context():
        return run_once()


def invoke(app, *args: str):
    """Run ``patron ARGS`` against ``app``."""
    return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_a_change_and_its_outbox_row_are_committed_together(app, auth, tenant, recorder):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    [message] = messages(app, tenant)
    assert (message.channel, message.event_name, message.status) == (
        "recorder", "account.created", PENDING)
    assert message.payload["data"]["id"] == account["id"]
    assert message.payload["tenant_id"] == str(tenant.id)

    assert api.post("/accounts", json={"name": 5}).status_code == 422
    assert len(messages(app, tenant)) == 1

    with app.app_context(), tenant_context(tenant.id):
        account_row = Account(name="Rolled back")
        db.session.add(account_row)
        db.session.flush()
        emit("account.created", AccountSchema().dump(account_row))
        db.session.flush()
        db.session.rollback()
    assert len(messages(app, tenant)) == 1
    assert api.get("/accounts?count=true").get_json()["total"] == 1


def test_a_disabled_modules_channel_gets_no_messages(app, auth, tenant, other_tenant,
                                                     recorder):
    auth.api(other_tenant).post("/accounts", json={"name": "Not for the recorder"})
    assert messages(app, other_tenant) == []
    assert deliver(app) == 0 and recorder.delivered == []


def test_the_worker_delivers_once_with_a_stable_idempotency_key(app, auth, tenant, recorder):
    auth.api(tenant).post("/accounts", json={"name": "Initech"})
    assert deliver(app) == 1
    assert deliver(app) == 0
    [message] = messages(app, tenant)
    assert message.status == DELIVERED and message.attempts == 1
    assert message.delivered_at is not None
    assert recorder.delivered == [str(message.id)]


def test_failures_back_off_doubling_then_die_and_replay_delivers(app, auth, tenant, recorder):
    app.config["PATRON_OUTBOX_BACKOFF_SECONDS"] = 10
    recorder.failures_left = MAX_ATTEMPTS
    auth.api(tenant).post("/accounts", json={"name": "Initech"})
    delays = []
    for _ in range(MAX_ATTEMPTS - 1):
        started = utcnow()
        assert deliver(app) == 0
        [message] = messages(app, tenant)
        assert message.status == PENDING
        delays.append((message.next_attempt_at - started).total_seconds())
        assert deliver(app) == 0, "not due before its backoff has passed"
        with in_tenant(app, tenant):  # let the backoff pass
            db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    assert [round(delay) for delay in delays] == [10, 20, 40]

    assert deliver(app) == 0
    [message] = messages(app, tenant)
    assert (message.status, message.attempts) == (DEAD, MAX_ATTEMPTS)
    assert message.last_error == "ConnectionError: the recorder is down"
    with in_tenant(app, tenant):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    assert deliver(app) == 0, "dead messages are not retried"

    with in_tenant(app, tenant):
        assert replay_dead() == 1
    assert deliver(app) == 1
    [message] = messages(app, tenant)
    assert (message.status, message.attempts, message.last_error) == (DELIVERED, 1, None)
    assert recorder.delivered == [str(message.id)]


@pytest.mark.skipif(not postgres_admin_url(), reason="SKIP LOCKED is PostgreSQL's")
def test_a_second_worker_skips_rows_another_has_locked(app, auth, tenant, recorder):
    api = auth.api(tenant)
    for name in ("One", "Two", "Three"):
        api.post("/accounts", json={"name": name})
    locked, *others = [message.id for message in messages(app, tenant)]
    with app.app_context():
        other_worker = db.session.session_factory()
        try:
            with tenant_context(tenant.id):
                other_worker.execute(
                    select(OutboxMessage).where(OutboxMessage.id == locked).with_for_update()
                ).one()
            claimed = [message_id for _, message_id in claim()]
            assert sorted(claimed) == sorted(others)
        finally:
            other_worker.rollback()
            other_worker.close()
        assert [message_id for _, message_id in claim()] == [locked]


def test_jobs_run_for_enabling_tenants_at_most_once_per_interval(
    app, tenant, other_tenant, recorder
):
    with in_tenant(app, tenant):
        enable_module("recorder")
    now = utcnow()
    with app.app_context():
        run_due_jobs(now)
        run_due_jobs(now + timedelta(seconds=59))
        assert recorder.ticks == [tenant.id], "not again within the interval"
        run_due_jobs(now + timedelta(seconds=60))
    assert recorder.ticks == [tenant.id, tenant.id]

    with in_tenant(app, tenant):  # a tenant's row is written only with it current (RLS)
        db.session.execute(
            update(Tenant).where(Tenant.id == tenant.id).values(status="suspended")
        )
    with app.app_context():
        run_due_jobs(now + timedelta(seconds=120))
    assert recorder.ticks == [tenant.id, tenant.id]


def test_a_job_refuses_to_run_without_a_tenant(app, recorder):
    with app.app_context():
        _, job = scheduled_jobs()["recorder.tick"]
        with pytest.raises(TenantContextMissing):
            job.execute()
    assert recorder.ticks == []


def test_worker_once_runs_one_round(app, auth, tenant, recorder):
    auth.api(tenant).post("/accounts", json={"name": "Initech"})
    with in_tenant(app, tenant):
        enable_module("recorder")
    result = invoke(app, "worker", "--once")
    assert result.exit_code == 0, result.output
    assert result.output == "delivered 1 message(s)\n"
    assert len(recorder.delivered) == 1
    assert recorder.ticks == [tenant.id]


def test_outbox_replay_command(app, auth, tenant, recorder):
    recorder.failures_left = MAX_ATTEMPTS
    auth.api(tenant).post("/accounts", json={"name": "Initech"})
    for _ in range(MAX_ATTEMPTS):
        deliver(app)
    [dead] = messages(app, tenant)
    assert dead.status == DEAD

    unknown = uuid.uuid4()
    for args, error in [
        (["--tenant", "nope"], "Error: no tenant 'nope'"),
        (["--tenant", "acme", "--id", str(unknown)],
         f"Error: not a dead message of tenant 'acme': {unknown}"),
        (["--tenant", "acme", "--id", "not-a-uuid"], "is not a valid UUID"),
    ]:
        result = invoke(app, "outbox", "replay", *args)
        assert result.exit_code != 0 and error in result.output, result.output
        assert "Traceback" not in result.output
    assert messages(app, tenant)[0].status == DEAD

    result = invoke(app, "outbox", "replay", "--tenant", "acme", "--id", str(dead.id))
    assert result.exit_code == 0, result.output
    assert result.output == "1 message(s) back in the queue\n"
    assert deliver(app) == 1
    assert recorder.delivered == [str(dead.id)]
