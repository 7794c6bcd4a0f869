"""The application role writes only its current tenant's ``tenants`` row (the repro: the
table had no row-level security, and the app role could rename, suspend or re-plan any
tenant). Reading stays open: sign-in and public pages find a tenant before one is current.
Provisioning and the tenant commands, which make the tenant current before they write its
row, are tested through the CLI in tests/test_cli.py and tests/test_manifests.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from patron.db import db
from patron.testing.databases import postgres_admin_url
from patron.testing.fixtures import in_tenant

pytestmark = pytest.mark.skipif(not postgres_admin_url(),
                                reason="row-level security is PostgreSQL's")


def _names(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(text("SELECT slug, name FROM tenants")).all())


def test_a_tenant_writes_its_own_row_only(app, tenant, other_tenant):
    with in_tenant(app, tenant):
        changed = db.session.execute(text(
            "UPDATE tenants SET name = 'Renamed', status = 'suspended'")).rowcount
        removed = db.session.execute(text("DELETE FROM tenants WHERE slug = :s"),
                                     {"s": other_tenant.slug}).rowcount
        db.session.commit()
    assert (changed, removed) == (1, 0)
    names = _names(app)
    assert names[tenant.slug] == "Renamed" and names[other_tenant.slug] != "Renamed"


def test_without_a_current_tenant_nothing_is_written_but_every_row_is_read(app, tenant,
                                                                           other_tenant):
    with app.app_context():
        assert db.session.execute(text("UPDATE tenants SET plan = 'free'")).rowcount == 0
        with pytest.raises(Exception, match="row-level security"):
            db.session.execute(text(
                "INSERT INTO tenants (id, slug, name, locale, timezone, currency, plan, status, "
                "created_at, version, config_version) VALUES (gen_random_uuid(), 'rogue', "
                "'Rogue', 'en', 'UTC', 'USD', 'free', 'active', now(), 1, 0)"))
        db.session.rollback()
    assert {tenant.slug, other_tenant.slug} <= set(_names(app))
