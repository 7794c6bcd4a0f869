"""A fake plugin with an API route, a page, a menu item, an account panel and an event handler.

Its hooks record what they were called with in :data:`CALLS`, so tests can see which tenants'
hooks ran.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from patron.api.blueprint import PatronBlueprint
from patron.customers.panels import Panel
from patron.db import current_tenant_id
from patron.plugins import ModuleInfo, hookimpl
from patron.rbac.access import require_user
from patron.rbac.permissions import Permission
from patron.web.menu import MenuItem

patron_module = ModuleInfo(name="gated", label="Gated", version="1.0")

CALLS: list[tuple[str, object, str]] = []

api = PatronBlueprint("gated_api", __name__)
pages = Blueprint("gated_pages", __name__, url_prefix="/gated")


@api.route("/ping")
@api.response(200)
def ping():
    """Answer with the caller's tenant id"""
    require_user()
    return {"tenant_id": str(current_tenant_id())}


@pages.route("/")
def page():
    """A page of the module."""
    require_user()
    return jsonify(ok=True)


@hookimpl
def patron_register_permissions():
    return [Permission("gated.things.read", "Read gated things")]


@hookimpl
def patron_register_api_blueprints():
    return [api]


@hookimpl
def patron_register_web_blueprints():
    return [pages]


@hookimpl
def patron_provide_menu_items(user):
    return [MenuItem("Gated", "gated_pages.page")]


@hookimpl
def patron_provide_account_panels(account, user):
    return [Panel("gated.summary", "Gated summary", "gated.things.read",
                  {"account": account.name, "viewer": user.email})]


@hookimpl
def patron_event_emitted(event):
    CALLS.append(("event", event.tenant_id, event.name))


@hookimpl
def patron_module_enabled(module):
    CALLS.append(("enabled", current_tenant_id(), module))


@hookimpl
def patron_register_cli_commands(cli):
    import click

    @cli.command("gated-ping")
    def gated_ping():
        """Answer pong."""
        click.echo("pong")
