"""A message a killed worker held is delivered again within a minute, and never by two
workers at once (the repro: a worker killed mid-delivery left its message leased for five
minutes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from patron.db import db, tenant_context
from patron.db.mixins import utcnow
from patron.events.models import DELIVERED, PENDING, OutboxMessage
from patron.events.worker import LEASE, claim, deliver, run_once
from patron.testing.databases import postgres_admin_url
from patron.testing.fixtures import in_tenant


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("recorder")]


def _outbox(app, tenant) -> list[OutboxMessage]:
    with in_tenant(app, tenant):
        return db.session.execute(select(OutboxMessage)).scalars().all()


def test_a_claimed_message_is_free_again_within_a_minute(app, auth, tenant, recorder):
    assert timedelta(minutes=1) >= LEASE
    auth.api(tenant).post("/accounts", json={"name": "Leased"})
    with app.app_context():
        claimed = claim()  # ... and the worker that claimed it dies here
        db.session.remove()
    (message,) = _outbox(app, tenant)
    assert [message_id for _, message_id in claimed] == [message.id]
    assert message.status == PENDING
    assert message.next_attempt_at <= utcnow() + LEASE
    with app.app_context():
        assert run_once() == 0  # not yet: the lease holds
    with in_tenant(app, tenant):
        db.session.get(OutboxMessage, (tenant.id, message.id)).next_attempt_at = utcnow()
        db.session.commit()  # a minute later
    with app.app_context():
        assert run_once() == 1
    assert _outbox(app, tenant)[0].status == DELIVERED and len(recorder.delivered) == 1


@pytest.mark.skipif(not postgres_admin_url(), reason="row locks are PostgreSQL's")
def test_a_message_being_delivered_is_not_delivered_by_another(app, auth, tenant, recorder):
    auth.api(tenant).post("/accounts", json={"name": "Busy"})
    (message,) = _outbox(app, tenant)
    with app.app_context():
        busy_worker = db.session.session_factory()
        try:
            with tenant_context(tenant.id):  # the first worker holds it while delivering
                busy_worker.execute(select(OutboxMessage).where(
                    OutboxMessage.id == message.id).with_for_update()).one()
            assert deliver(tenant.id, message.id) is False
        finally:
            busy_worker.rollback()
            busy_worker.close()
    assert recorder.delivered == [] and _outbox(app, tenant)[0].status == PENDING
