"""Plugin manager: per-tenant gating of routes, pages, menus and hooks (invariant 3)."""

from __future__ import annotations

import pytest

from patron.testing.fixtures import csrf_token_from, in_tenant
from patron.testing.route_walk import Route, body_for, enable_every_module, request_body


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("gated"), fake_plugin("dependent")]


@pytest.fixture
def calls(fake_plugin):
    recorded = fake_plugin("gated").CALLS
    recorded.clear()
    return recorded


def test_modules_are_listed_disabled_until_enabled(auth, tenant):
    api = auth.api(tenant)
    modules = {m["name"]: m for m in api.get("/modules").get_json()["items"]}
    assert modules["gated"]["enabled"] is False
    assert modules["dependent"]["requires"] == ["gated"]
    response = api.put("/modules/gated", json={"enabled": True})
    assert response.status_code == 200 and response.get_json()["enabled"] is True
    assert "gated" in api.get("/me").get_json()["modules"]


def test_routes_pages_and_menu_exist_only_for_enabling_tenant(auth, tenant, other_tenant):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    assert acme.get("/gated/ping").status_code == 404
    acme.put("/modules/gated", json={"enabled": True})
    assert acme.get("/gated/ping").get_json() == {"tenant_id": str(tenant.id)}
    assert acme.open("/gated/").status_code == 200
    assert globex.get("/gated/ping").status_code == 404
    assert globex.open("/gated/").status_code == 404
    assert 'href="/gated/"' in acme.open("/").get_data(as_text=True)
    assert 'href="/gated/"' not in globex.open("/").get_data(as_text=True)


def test_disabled_module_hooks_do_not_run_for_that_tenant(auth, tenant, other_tenant, calls):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    acme.put("/modules/gated", json={"enabled": True})
    assert ("enabled", tenant.id, "gated") in calls
    calls.clear()
    acme.post("/accounts", json={"name": "Seen"})
    globex.post("/accounts", json={"name": "Unseen"})
    assert calls == [("event", tenant.id, "account.created")]


def test_enabling_checks_requires_and_disabling_checks_dependants(auth, tenant):
    api = auth.api(tenant)
    refused = api.put("/modules/dependent", json={"enabled": True})
    assert refused.status_code == 422
    assert "gated" in refused.get_json()["errors"]["enabled"][0]
    assert api.put("/modules/gated", json={"enabled": True}).status_code == 200
    assert api.put("/modules/dependent", json={"enabled": True}).status_code == 200
    refused = api.put("/modules/gated", json={"enabled": False})
    assert refused.status_code == 422
    assert "dependent" in refused.get_json()["detail"]


def test_disable_keeps_state_and_reenable_restores(auth, tenant):
    api = auth.api(tenant)
    api.put("/modules/gated", json={"enabled": True})
    api.put("/modules/gated", json={"enabled": False})
    assert api.get("/gated/ping").status_code == 404
    api.put("/modules/gated", json={"enabled": True})
    assert api.get("/gated/ping").status_code == 200


def test_only_admins_toggle_modules_and_unknown_module_is_404(auth, tenant, make_user):
    rep = make_user(tenant, "sales_rep")
    assert rep.put("/modules/gated", json={"enabled": True}).status_code == 403
    assert auth.api(tenant).put("/modules/nope", json={"enabled": True}).status_code == 404


def test_subset_hook_callers_are_cached_per_disabled_set(app, tenant):
    registry = app.extensions["patron"]
    first = registry.hooks_without(frozenset({"gated"})).patron_event_emitted
    again = registry.hooks_without(frozenset({"gated"})).patron_event_emitted
    other = registry.hooks_without(frozenset()).patron_event_emitted
    assert first is again and first is not other
    with in_tenant(app, tenant):
        names = {impl.plugin_name for impl in first.get_hookimpls()}
    assert "gated" not in names


def test_plugin_cli_commands_join_the_patron_command(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from patron.console import cli

    result = CliRunner().invoke(cli, ["gated-ping"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0 and result.output == "pong\n"


def test_every_route_of_every_module_is_absent_for_a_tenant_without_it(app, auth, tenant,
                                                                        other_tenant, client):
    """Generated from the URL map and the plugins' registrations: every API route and page of
    every installed module (built-in, partner or fake) answers 404 to a tenant that has not
    enabled it, while the tenant next door has it on with records in it. Pages are asked
    signed in, forms sent with a valid CSRF token: the module's absence refuses them, not the
    CSRF check."""
    from patron.plugins.manager import AUDIT_PLUGIN, CORE_PLUGIN, registrations_by_plugin

    acme, globex = auth.api(tenant), auth.api(other_tenant)
    enable_every_module(acme)
    spec = acme.open("/api/v1/openapi.json").get_json()
    account = acme.post("/accounts", json={"name": "Enabled"}).get_json()
    context = {"account_id": account["id"], "role_id": None}
    with app.app_context():
        owners = {blueprint.name: module
                  for hook in ("patron_register_api_blueprints", "patron_register_web_blueprints")
                  for module, blueprint in registrations_by_plugin(hook)
                  if module not in (CORE_PLUGIN, AUDIT_PLUGIN)}
    auth.login(other_tenant)
    form = {"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))}
    walked: set[str] = set()
    for rule in app.url_map.iter_rules():
        module = owners.get(rule.endpoint.split(".", 1)[0])
        if module is None:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # A public page names its tenant in the path: the one without the module.
            route = Route(rule.rule.replace("<slug>", other_tenant.slug), method)
            url = route.url(account["id"], module=module)
            if route.is_page:
                response = client.open(url, method=method,
                                       data=form if method == "POST" else None)
            else:
                response = globex.open(url, method=method,
                                       **request_body(body_for(route, context, spec)))
            assert response.status_code == 404, f"{method} {rule.rule}"
            walked.add(module)
    assert walked == set(owners.values()) and "gated" in walked
