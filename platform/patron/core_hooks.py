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
        *_crud("contacts", "contacts"),
        *_crud("products", "products"),
        *_crud("activities", "activities"),
        *_crud("attachments", "attachments"),
        *_crud("users", "users"),
        *_crud("roles", "roles"),
        *_crud("departments", "departments"),
        *_crud("webhooks", "webhooks"),
        *_crud("customfields", "custom fields"),
        Permission("core.audit.read", "Read the audit log"),
        Permission("core.imports.read", "Read CSV imports"),
        Permission("core.imports.create", "Import CSV files"),
        Permission("core.tenant.update", "Change tenant settings"),
        Permission("core.modules.manage", "Enable and disable modules"),
    ]


@hookimpl
def patron_register_models():
    from patron.audit.models import AuditEvent
    from patron.auth.models import ApiToken, User, UserSession
    from patron.customers.models import Account, Activity, Attachment, Contact, Product
    from patron.customfields.models import CustomFieldDefinition, CustomFieldUniqueValue
    from patron.events.jobs import JobRun
    from patron.events.models import OutboxMessage
    from patron.imports.models import ImportJob
    from patron.plugins.models import TenantModule
    from patron.rbac.models import Department, Role
    from patron.search.models import SearchDocument
    from patron.web.models import SavedView
    from patron.webhooks.models import Webhook

    return [User, UserSession, ApiToken, Role, Department, TenantModule, OutboxMessage, JobRun,
            Account, Contact, Product, Activity, Attachment, Webhook, CustomFieldDefinition,
            CustomFieldUniqueValue, AuditEvent, SearchDocument, SavedView, ImportJob]


@hookimpl
def patron_register_entities():
    from patron.customers.models import Account, Activity, Contact, Product
    from patron.entities import Entity

    return [
        Entity("account", "Account", Account, "core.accounts", title="name",
               searchable=("name", "domain", "phone"), match_on=("domain", "name")),
        Entity("contact", "Contact", Contact, "core.contacts", title="full_name",
               searchable=("first_name", "last_name", "email"), match_on=("email",)),
        Entity("product", "Product", Product, "core.products", title="name",
               searchable=("sku", "name"), match_on=("sku",)),
        Entity("activity", "Activity", Activity, "core.activities", title="subject",
               searchable=("subject", "outcome")),
    ]


@hookimpl
def patron_register_api_blueprints():
    from patron.audit.api import blp as audit
    from patron.auth.api import blp as auth
    from patron.customers.api import blp as customers
    from patron.customers.attachments_api import blp as attachments
    from patron.customfields.api import blp as customfields
    from patron.imports.api import blp as imports
    from patron.plugins.api import blp as modules
    from patron.rbac.api import blp as directory
    from patron.search.api import blp as search
    from patron.tenancy.api import blp as tenant
    from patron.webhooks.api import blp as webhooks

    return [auth, tenant, modules, directory, customfields, customers, attachments, webhooks,
            audit, search, imports]


@hookimpl
def patron_register_jobs():
    from patron.imports.runner import IMPORTS_JOB

    return [IMPORTS_JOB]


@hookimpl
def patron_register_outbox_channels():
    from patron.mail import MailChannel
    from patron.webhooks.channel import WebhookChannel

    return [WebhookChannel(), MailChannel()]


@hookimpl
def patron_register_web_blueprints():
    from patron.web.admin import bp as admin
    from patron.web.exports import bp as record_exports
    from patron.web.health import bp as health
    from patron.web.imports import bp as import_pages
    from patron.web.invitations import bp as invitations
    from patron.web.records import bp as records
    from patron.web.saved_views import bp as saved_views
    from patron.web.views import bp as web

    return [web, health, records, saved_views, admin, import_pages, record_exports,
            invitations]


@hookimpl
def patron_provide_menu_items(user):
    """A list page for each core entity the user may read, and Admin for administrators."""
    from patron.entities import entities
    from patron.web.admin.blueprint import administers
    from patron.web.fields import entity_spec
    from patron.web.imports import imports_menu_item
    from patron.web.labels import label
    from patron.web.menu import MenuItem

    items = [
        MenuItem(label(spec.name), "records.record_list", f"{spec.permission}.read",
                 order=10 + index, params=(("entity", entity.name),))
        for index, entity in enumerate(entities().values())
        if entity.module is None and (spec := entity_spec(entity.name)) is not None
    ]
    items.append(imports_menu_item())
    if administers():
        items.append(MenuItem(label("admin"), "admin.index", order=1000))
    return items


@hookimpl
def patron_event_emitted(event):
    """Keep the search documents in step with the records, in the same transaction."""
    from patron.search.indexing import index_event

    index_event(event)
