"""The application role cannot read another tenant's outbox (the repro: it could set
``patron.outbox_worker`` to ``on`` and then read every tenant's messages and payloads)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from patron.db import db
from patron.events.worker import claim
from patron.modules import enable_module
from patron.testing.databases import postgres_admin_url
from patron.testing.fixtures import in_tenant

pytestmark = pytest.mark.skipif(not postgres_admin_url(),
                                reason="row-level security is PostgreSQL's")


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("recorder")]


def test_the_old_switch_opens_nothing_and_the_claim_gives_ids_only(app, auth, tenant,
                                                                     other_tenant, fake_plugin):
    fake_plugin("recorder").STATE = fake_plugin("recorder").RecorderState()
    for each in (tenant, other_tenant):
        with in_tenant(app, each):
            enable_module("recorder")
        auth.api(each).post("/accounts", json={"name": f"Secret of {each.slug}"})
    with in_tenant(app, tenant):
        db.session.execute(text("SELECT set_config('patron.outbox_worker', 'on', true)"))
        seen = db.session.execute(text("SELECT tenant_id, payload::text FROM outbox_messages")
                                  ).all()
        assert {row.tenant_id for row in seen} == {tenant.id}
        assert all(other_tenant.slug not in row.payload for row in seen)
    with app.app_context():
        claimed = claim()  # the worker still serves both tenants
    assert {tenant_id for tenant_id, _ in claimed} == {tenant.id, other_tenant.id}
