"""The core's own hook implementations, registered first as the plugin ``patron.core``.

The core uses the same hooks a partner plugin does; its blueprints mount at ``/api/v1`` and
are never gated. This module sits at the top of the layers (composition): it is where the
core's pieces are put together, so it may import all of them.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from patron.api import attachments as attachments_api
from patron.api import audit as audit_api
from patron.api import auth as auth_api
from patron.api import custom_fields as custom_fields_api
from patron.api import customers as customers_api
from patron.api import events as events_api
from patron.api import imports as imports_api
from patron.api import letterhead as letterhead_api
from patron.api import modules as modules_api
from patron.api import notifications as notifications_api
from patron.api import rbac as rbac_api
from patron.api import search as search_api
from patron.api import tenant as tenant_api
from patron.api import webhooks as webhooks_api
from patron.api.blueprint import PatronBlueprint
from patron.audit.models import AuditEvent
from patron.auth.models import ApiToken, User, UserSession
from patron.bulk.models import BulkItem, BulkJob
from patron.bulk.runner import BULK_JOB
from patron.customers.mentions import notify_mentions
from patron.customers.models import Account, Activity, Attachment, Contact, Product
from patron.customers.reminders import REMINDER_JOB
from patron.customfields.models import CustomFieldDefinition, CustomFieldUniqueValue
from patron.entities import Entity, entities
from patron.events.catalogue import EventType, payload
from patron.events.dispatch import DomainEvent, OutboxChannel
from patron.events.jobs import Job, JobRun
from patron.events.models import OutboxMessage
from patron.imports.models import ImportJob
from patron.imports.runner import IMPORTS_JOB
from patron.mail import MailChannel
from patron.notifications.models import Notification
from patron.notifications.services import DIGEST_JOB
from patron.plugins import hookimpl
from patron.plugins.models import TenantModule
from patron.rbac.models import Department, Role
from patron.rbac.permissions import Permission
from patron.records.settings import SettingsSection
from patron.search.indexing import index_events
from patron.search.models import SearchDocument
from patron.tenancy.sequences import TenantSequence
from patron.web import admin as admin_pages
from patron.web import bulk as bulk_pages
from patron.web import calendar as calendar_pages
from patron.web import exports as export_pages
from patron.web import health as health_pages
from patron.web import home as home_widgets
from patron.web import imports as import_pages
from patron.web import invitations as invitation_pages
from patron.web import notifications as notification_pages
from patron.web import pickers as picker_pages
from patron.web import records as record_pages
from patron.web import saved_views as saved_view_pages
from patron.web import search as search_pages
from patron.web import settings_pages
from patron.web import tasks as task_pages
from patron.web import views as home_pages
from patron.web.admin.blueprint import administers
from patron.web.fields import entity_spec
from patron.web.home import Widget
from patron.web.imports import imports_menu_item
from patron.web.labels import label
from patron.web.menu import ADMINISTRATION, CUSTOMERS, MenuItem
from patron.web.models import SavedView
from patron.webhooks.channel import WebhookChannel
from patron.webhooks.models import Webhook

CRUD = ("read", "create", "update", "delete")


def _crud(resource: str, label: str) -> list[Permission]:
    return [Permission(f"core.{resource}.{action}", f"{action.title()} {label}") for action in CRUD]


@hookimpl
def patron_register_permissions() -> list[Permission]:
    """The core's permissions: CRUD on the customer master and the directory, and the rest."""
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
def patron_register_models() -> list[type]:
    """Every tenant-owned table of the core, for the isolation and schema checks."""
    return [User, UserSession, ApiToken, Role, Department, TenantModule, OutboxMessage, JobRun,
            Account, Contact, Product, Activity, Attachment, Webhook, CustomFieldDefinition,
            CustomFieldUniqueValue, AuditEvent, SearchDocument, SavedView, ImportJob,
            TenantSequence, Notification, BulkJob, BulkItem]


@hookimpl
def patron_register_entities() -> list[Entity]:
    """The customer master: accounts, contacts, products and activities."""
    return [
        Entity("account", "Account", Account, "core.accounts", title="name",
               searchable=("name", "domain", "phone"), match_on=("domain", "name")),
        Entity("contact", "Contact", Contact, "core.contacts", title="full_name",
               searchable=("first_name", "last_name", "email"), match_on=("email",),
               field_groups=(("email", "emails"),)),
        Entity("product", "Product", Product, "core.products", title="name",
               searchable=("sku", "name"), match_on=("sku",)),
        Entity("activity", "Activity", Activity, "core.activities", title="subject",
               searchable=("subject", "outcome")),
    ]


@hookimpl
def patron_register_api_blueprints() -> list[PatronBlueprint]:
    """The core's API, mounted at ``/api/v1``."""
    return [auth_api.blp, tenant_api.blp, modules_api.blp, rbac_api.blp, custom_fields_api.blp,
            customers_api.blp, attachments_api.blp, webhooks_api.blp, audit_api.blp,
            search_api.blp, imports_api.blp, notifications_api.blp, letterhead_api.blp,
            events_api.blp]


@hookimpl
def patron_register_jobs() -> list[Job]:
    """The worker runs queued CSV imports and bulk actions, mails the daily notification
    digests and reminds users of their activities."""
    return [IMPORTS_JOB, BULK_JOB, DIGEST_JOB, REMINDER_JOB]


#: A token's event: which token of whom.
TOKEN = payload(id=fields.UUID(), name=fields.String(), user_id=fields.UUID())
#: A person's own action: who, and their address.
PERSON = payload(id=fields.UUID(), email=fields.Email(), actor_id=fields.UUID())
#: A module switched on or off.
MODULE = payload(name=fields.String())


@hookimpl
def patron_register_events() -> list[EventType]:
    """The core's events besides its records' own."""
    return [
        EventType("token.created", "An API token was made.", TOKEN),
        EventType("token.revoked", "An API token was revoked.", TOKEN),
        EventType("user.signed_in", "Someone signed in (the interface: web or api).", PERSON,
                  extra={"interface": fields.String()}),
        EventType("user.invitation_accepted", "An invited user set their password.", PERSON),
        EventType("module.enabled", "The tenant switched a module on.", MODULE, changes=True),
        EventType("module.disabled", "The tenant switched a module off.", MODULE,
                  changes=True),
    ]


@hookimpl
def patron_register_outbox_channels() -> list[OutboxChannel]:
    """Webhook deliveries and e-mail leave the process through the outbox."""
    return [WebhookChannel(), MailChannel()]


@hookimpl
def patron_register_web_blueprints() -> list[Blueprint]:
    """The core's pages: home and sign-in, arranging the home page, tasks, notifications,
    health, records, saved views, admin, imports, exports, invitations, global search, the
    record pickers' choices and bulk actions."""
    return [home_pages.bp, home_widgets.bp, task_pages.bp, notification_pages.bp,
            calendar_pages.bp,
            health_pages.bp, record_pages.bp, saved_view_pages.bp, admin_pages.bp,
            import_pages.bp, export_pages.bp, invitation_pages.bp, search_pages.bp,
            picker_pages.bp, bulk_pages.bp, settings_pages.settings_blueprint()]


@hookimpl
def patron_register_settings() -> list[SettingsSection]:
    """The core's Settings: the organisation, people and roles, modules, custom fields,
    webhooks, one's API tokens and the audit log (each path is the API's it edits)."""
    return [
        SettingsSection("tenant", _l("Organisation"), endpoint="admin.organisation",
                        read="core.tenant.update", update="core.tenant.update"),
        SettingsSection("users", _l("Users"), endpoint="admin.users", read="core.users.read",
                        update="core.users.create"),
        SettingsSection("roles", _l("Roles"), endpoint="admin.roles", read="core.roles.read",
                        update="core.roles.update"),
        SettingsSection("departments", _l("Departments"), endpoint="admin.departments",
                        read="core.departments.read", update="core.departments.create"),
        SettingsSection("modules", _l("Modules"), endpoint="admin.modules",
                        read="core.modules.manage", update="core.modules.manage"),
        SettingsSection("custom-fields", _l("Custom fields"), endpoint="admin.custom_fields",
                        read="core.customfields.read", update="core.customfields.create"),
        SettingsSection("webhooks", _l("Webhooks"), spec=webhooks_api.WEBHOOKS_SPEC,
                        columns=("url", "active", "description"),
                        description=_l("Deliveries are signed with the secret (HMAC-SHA256, "
                                       "X-Patron-Signature); give one of 16 or more "
                                       "characters to check them.")),
        SettingsSection("tokens", _l("API tokens"), endpoint="admin.tokens"),
        SettingsSection("audit-events", _l("Audit log"), endpoint="admin.audit",
                        read="core.audit.read"),
    ]


#: Sidebar icons (Bootstrap Icons names) of the core's record lists.
ENTITY_ICONS = {"account": "building", "contact": "person", "product": "box-seam",
                "activity": "calendar-event"}


@hookimpl
def patron_provide_menu_items(user: User) -> list[MenuItem]:
    """Under "Customers" a list page for each core entity the user may read and the
    calendar; the import pages; Admin for administrators."""
    items = [
        MenuItem(label(spec.name), "records.record_list", f"{spec.permission}.read",
                 order=10 + index, params=(("entity", entity.name),), group=CUSTOMERS,
                 icon=ENTITY_ICONS.get(entity.name, "dot"))
        for index, entity in enumerate(entities().values())
        if entity.module is None and (spec := entity_spec(entity.name)) is not None
    ]
    items.append(MenuItem(_l("Calendar"), "calendar.calendar_page", "core.activities.read",
                          order=19, group=CUSTOMERS, icon="calendar3"))
    items.append(imports_menu_item())
    if administers():
        items.append(MenuItem(_l("Settings"), "admin.index", order=1000,
                              group=ADMINISTRATION, icon="gear"))
    return items


@hookimpl
def patron_provide_home_widgets(user: User) -> list[Widget]:
    """The user's tasks due today and overdue."""
    widget = task_pages.my_tasks_widget(user)
    return [widget] if widget else []


@hookimpl
def patron_events_emitted(events: list[DomainEvent]) -> None:
    """Keep the search documents in step with the records, in the same transaction; tell the
    people a new activity mentions."""
    index_events(events)
    notify_mentions(events)
