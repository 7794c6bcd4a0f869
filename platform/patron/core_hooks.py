"""The core's own hook implementations, registered first as the plugin ``patron.core``.

The core uses the same hooks a partner plugin does; its blueprints mount at ``/api/v1`` and
are never gated.
"""

from __future__ import annotations

from patron.plugins import hookimpl
from patron.rbac.permissions import Permission

CRUD = ("read", "create", "update", "delete")


def _crud(resource: str, label: str) -> list[Permission]:
    return [Permission(f"core.{resource}.{action}", f"{action.title()} {label}") for action in CRUD]


@hookimpl
def patron_register_permissions():
    return [
        *_crud("accounts", "accounts"),
        *_crud("users", "users"),
        *_crud("roles", "roles"),
        *_crud("departments", "departments"),
        *_crud("webhooks", "webhooks"),
        *_crud("customfields", "custom fields"),
        Permission("core.tenant.update", "Change tenant settings"),
        Permission("core.modules.manage", "Enable and disable modules"),
    ]


@hookimpl
def patron_register_models():
    from patron.auth.models import ApiToken, User, UserSession
    from patron.customers.models import Account
    from patron.customfields.models import CustomFieldDefinition, CustomFieldUniqueValue
    from patron.events.jobs import JobRun
    from patron.events.models import OutboxMessage
    from patron.plugins.models import TenantModule
    from patron.rbac.models import Department, Role
    from patron.webhooks.models import Webhook

    return [User, UserSession, ApiToken, Role, Department, TenantModule, OutboxMessage, JobRun,
            Account, Webhook, CustomFieldDefinition, CustomFieldUniqueValue]


@hookimpl
def patron_register_entities():
    from patron.customers.models import Account
    from patron.entities import Entity

    return [Entity("account", "Account", Account, "core.accounts", title="name",
                   searchable=("name", "domain", "phone"))]


@hookimpl
def patron_register_api_blueprints():
    from patron.auth.api import blp as auth
    from patron.customers.api import blp as customers
    from patron.customfields.api import blp as customfields
    from patron.plugins.api import blp as modules
    from patron.rbac.api import blp as directory
    from patron.tenancy.api import blp as tenant
    from patron.webhooks.api import blp as webhooks

    return [auth, tenant, modules, directory, customfields, customers, webhooks]


@hookimpl
def patron_register_outbox_channels():
    from patron.webhooks.channel import WebhookChannel

    return [WebhookChannel()]


@hookimpl
def patron_register_web_blueprints():
    from patron.web.health import bp as health
    from patron.web.views import bp as web

    return [web, health]


@hookimpl
def patron_provide_menu_items(user):
    return []
