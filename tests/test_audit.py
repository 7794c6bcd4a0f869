"""The audit log: every change and permission-relevant action, with actor and interface."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from patron.console import cli


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("gated")]


def _events(api, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return api.get(f"/audit-events?limit=200&{query}").get_json()["items"]


def test_create_update_delete_are_recorded_with_field_changes(auth, tenant):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Initech", "industry": "software"}).get_json()
    api.patch(f"/accounts/{account['id']}", json={"name": "Initrode"})
    api.delete(f"/accounts/{account['id']}")
    history = _events(api, entity="account", record_id=account["id"], sort="occurred_at")
    assert [e["action"] for e in history] == ["create", "update", "delete"]
    created, updated, deleted = history
    assert created["changes"]["name"] == [None, "Initech"]
    assert updated["changes"] == {"name": ["Initech", "Initrode"]}
    assert deleted["changes"]["name"] == ["Initrode", None]
    assert {e["actor_id"] for e in history} == {api.user_id}
    assert {e["interface"] for e in history} == {"api"}


def test_sign_in_tokens_modules_and_roles_are_recorded(app, auth, tenant, fake_plugin):
    client = app.test_client()
    auth.login(tenant, client=client)
    api = auth.api(tenant)
    token = api.post("/tokens", json={"name": "ci"}).get_json()
    api.delete(f"/tokens/{token['id']}")
    role = api.get("/roles?key=sales_rep").get_json()["items"][0]
    api.patch(f"/roles/{role['id']}", json={"default_scope": "department"})
    actions = {(e["entity"], e["action"], e["interface"]) for e in _events(api)}
    assert ("user", "user.signed_in", "web") in actions
    assert ("user", "user.signed_in", "api") not in actions  # the kit's tokens skip sign-in
    assert ("token", "create", "api") in actions
    assert ("token", "token.revoked", "api") in actions
    assert ("role", "update", "api") in actions
    signed_in = _events(api, action="user.signed_in")[0]
    assert signed_in["actor_id"] == str(tenant.admin_id)


def test_module_switches_are_recorded(auth, tenant, fake_plugin, app):
    api = auth.api(tenant)
    assert api.put("/modules/gated", json={"enabled": True}).status_code == 200
    assert api.put("/modules/gated", json={"enabled": False}).status_code == 200
    switches = [(e["action"], e["changes"]) for e in _events(api, entity="module",
                                                              sort="occurred_at")]
    assert switches == [("module.enabled", {"enabled": [False, True]}),
                        ("module.disabled", {"enabled": [True, False]})]


def test_cli_changes_are_recorded_as_cli(app, auth, tenant):
    result = CliRunner().invoke(cli, ["token", "create", "--tenant", tenant.slug, "--email",
                                      tenant.admin_email], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    created = _events(auth.api(tenant), entity="token", action="create", sort="occurred_at")
    assert created[0]["interface"] == "cli" and created[0]["actor_id"] is None


def test_audit_log_is_read_only_admin_only_and_per_tenant(auth, tenant, other_tenant,
                                                          make_user):
    api = auth.api(tenant)
    api.post("/accounts", json={"name": "Secret"})
    event = _events(api, entity="account")[0]
    assert api.open("/api/v1/audit-events", method="POST", json={}).status_code == 405
    assert api.delete(f"/audit-events/{event['id']}").status_code == 405
    assert make_user(tenant, "sales_rep").get("/audit-events").status_code == 403
    neighbour = auth.api(other_tenant)
    assert neighbour.get(f"/audit-events/{event['id']}").status_code == 404
    assert all(e["entity"] != "account" for e in _events(neighbour))


def test_a_failed_request_leaves_no_audit_row(auth, tenant):
    api = auth.api(tenant)
    assert api.post("/accounts", json={"name": 1}).status_code == 422
    assert _events(api, entity="account") == []
