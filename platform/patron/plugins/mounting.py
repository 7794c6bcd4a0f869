"""Mounting every plugin's blueprints at boot, each behind its per-tenant gate."""

from __future__ import annotations

from flask import Flask, abort, current_app, request

from patron.db import current_tenant_id
from patron.plugins.manager import CORE_PLUGIN, Registry
from patron.plugins.services import is_enabled

API_PREFIX = "/api/v1"


def _by_plugin(registry: Registry, hook_name: str) -> list[tuple[str, list]]:
    """Call an app-scope hook implementation by implementation, keeping who returned what."""
    hook = getattr(registry.pm.hook, hook_name)
    return [
        (impl.plugin_name, impl.function() or [])
        for impl in reversed(hook.get_hookimpls())
    ]


def mount_blueprints(app: Flask, api) -> None:
    """Register the API and web blueprints of the core and of every installed plugin.

    Blueprints are module-level objects shared by every app a process creates, and Flask
    forbids changing one once registered, so the gate is one app-level ``before_request``
    that looks the request's blueprint up in ``app.extensions["patron_blueprint_modules"]``.
    """
    registry: Registry = app.extensions["patron"]
    owners: dict[str, str] = {}
    for plugin_name, blueprints in _by_plugin(registry, "patron_register_api_blueprints"):
        core = plugin_name == CORE_PLUGIN
        for blp in blueprints:
            prefix = API_PREFIX if core else f"{API_PREFIX}/{plugin_name}"
            api.register_blueprint(blp, url_prefix=prefix + (blp.url_prefix or ""))
            if not core:
                owners[blp.name] = plugin_name
    for plugin_name, blueprints in _by_plugin(registry, "patron_register_web_blueprints"):
        for bp in blueprints:
            app.register_blueprint(bp)
            if plugin_name != CORE_PLUGIN:
                owners[bp.name] = plugin_name
    app.extensions["patron_blueprint_modules"] = owners
    app.before_request(gate_disabled_modules)


def gate_disabled_modules() -> None:
    """Answer 404 for a page or API route of a module the current tenant has not enabled.

    Requests without a tenant (nobody signed in) pass on to the view, which answers 401 or
    redirects to the sign-in page.
    """
    blueprint = (request.blueprint or "").split(".")[0]
    module = current_app.extensions["patron_blueprint_modules"].get(blueprint)
    if module is not None and current_tenant_id() is not None and not is_enabled(module):
        abort(404)
