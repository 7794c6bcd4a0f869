"""A tenant's configuration (custom fields, enabled modules, webhooks) is read once and shared
by later requests, and a change made anywhere — another request, the CLI, another worker —
is seen by the next request (issue 6, item 4: ``patron.config_cache``)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from patron.console import cli
from patron.customfields.services import create_definition, definitions_of
from patron.db import db, tenant_context
from patron.tenancy.models import Tenant
from patron.tenancy.services import active_tenant
from patron.testing.queries import counted_statements


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


def reads_of(statements: list[str], table: str) -> int:
    return sum(f"FROM {table}" in " ".join(s.split()) for s in statements)


def define(api, name: str) -> None:
    response = api.post("/custom-fields", json={"entity": "account", "name": name,
                                                "label": name.title(), "type": "number"})
    assert response.status_code == 201, response.get_json()


def config_version(app, tenant) -> int:
    with app.app_context():
        return db.session.get(Tenant, tenant.id).config_version


def test_later_requests_share_what_the_first_one_read(app, api):
    define(api, "seats")
    assert api.get("/accounts?custom.seats=3").status_code == 200
    assert api.get("/search?q=anything").status_code == 200
    with counted_statements(app) as statements:
        assert api.get("/accounts?custom.seats=3").status_code == 200
        assert api.get("/search?q=anything").status_code == 200
    assert reads_of(statements, "custom_fields") == 0
    assert reads_of(statements, "tenant_modules") == 0


def test_a_change_by_another_request_is_seen_by_the_next(app, api, auth, tenant):
    assert api.get("/accounts?custom.seats=3").status_code == 422  # not a field yet
    before = config_version(app, tenant)
    define(auth.api(tenant), "seats")  # another client of the same tenant
    assert config_version(app, tenant) > before
    assert api.get("/accounts?custom.seats=3").status_code == 200
    removed = api.delete(f"/custom-fields/{_field_id(api, 'seats')}?confirm=true")
    assert removed.status_code == 204, removed.get_json()
    assert api.get("/accounts?custom.seats=3").status_code == 422


def _field_id(api, name: str) -> str:
    fields = api.get("/custom-fields?entity=account").get_json()["items"]
    return next(f["id"] for f in fields if f["name"] == name)


def test_a_module_switched_by_the_cli_is_seen_by_the_next_request(app, api):
    def modules() -> list[str]:
        return api.get("/me").get_json()["modules"]

    def patron(*args: str) -> None:
        result = CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))
        assert result.exit_code == 0, result.output

    assert "sales" not in modules()
    patron("module", "enable", "--tenant", "acme", "sales")
    assert "sales" in modules()
    assert api.get("/sales/leads").status_code == 200
    patron("module", "disable", "--tenant", "acme", "sales")
    assert "sales" not in modules()
    assert api.get("/sales/leads").status_code == 404


def test_an_uncommitted_change_is_never_shared(app, api, tenant):
    assert api.get("/accounts?custom.seats=3").status_code == 422
    with app.app_context(), tenant_context(tenant.id):
        active_tenant(tenant.id)  # as sign-in does: this context knows the version
        create_definition({"entity": "account", "name": "seats", "label": "Seats",
                           "type": "number"})
        assert [d.name for d in definitions_of("account")] == ["seats"]
        db.session.rollback()
    assert api.get("/accounts?custom.seats=3").status_code == 422
    assert api.get("/custom-fields?entity=account").get_json()["items"] == []
