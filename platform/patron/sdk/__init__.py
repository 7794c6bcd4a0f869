"""``patron.sdk``: everything a Patron plugin uses, in one documented, versioned module.

A plugin — built in or a partner's — imports from here and from :mod:`patron.testing` only
(an import-linter contract checks the built-in and example plugins). Like ``pytest`` over
``_pytest`` and Datasette's documented internals, this is the stable surface: a minor
release of the SDK (:data:`SDK_VERSION`) only adds to it, a major one may change what it
offered, and a plugin says which major version it is written for (``ModuleInfo(sdk=1)``).
Everything else in ``patron`` is internal and may change in any release; a plugin that needs
something missing here gets it added here, never imported from the inside.

The plugin guide's "SDK reference" is generated from :data:`SECTIONS` and the docstrings of
what they name (``scripts/sdk-reference``); a test fails when the guide and the SDK disagree.
"""

from __future__ import annotations

from patron.api.blueprint import PatronBlueprint
from patron.api.children import register_children
from patron.api.resources import expected_version, register_crud
from patron.api.settings import register_settings
from patron.auth.models import User
from patron.customers.models import Account, Activity, Contact, Product
from patron.customers.overview import timeline
from patron.customers.panels import Panel
from patron.customers.schemas import ACCOUNT_STATUSES, AccountSchema
from patron.customfields.services import apply_custom_values_many
from patron.db import (
    Owned,
    TenantScoped,
    Timestamps,
    Versioned,
    current_tenant_id,
    db,
    new_id,
    owner_constraints,
    require_tenant_id,
    tenant_context,
    tenant_fk,
)
from patron.db.base import JSONType
from patron.db.indexes import (
    create_custom_values_indexes,
    custom_values_index,
    drop_custom_values_indexes,
)
from patron.db.mixins import utcnow
from patron.db.postgres import tenants_in_turn
from patron.db.types import AMOUNT
from patron.db.types import UTCDateTime as UTCDateTimeColumn
from patron.endpoints import takes_files
from patron.entities import Entity, Lookup
from patron.errors import Conflict, FieldError, ValidationFailed
from patron.events import DomainEvent, emit, emit_many, handle_by_name
from patron.events.catalogue import EventType, payload
from patron.events.jobs import Job
from patron.imports.matching import Matcher
from patron.imports.models import CREATE, SKIP, UPDATE
from patron.imports.target import find_target
from patron.mail import MailAttachment, absolute_url, mail_enabled, page_path, queue_mail
from patron.notifications import notify
from patron.plugins.info import SDK_VERSION, ModuleInfo
from patron.plugins.manager import hookimpl
from patron.plugins.services import is_enabled
from patron.rbac.access import (
    acting_user_id,
    can,
    get_scoped_or_404,
    in_scope,
    require,
    require_user,
    scope_for,
    scoped_select,
)
from patron.rbac.field_security import hidden_fields, secured
from patron.rbac.models import Department, Role
from patron.rbac.permissions import Permission
from patron.rbac.scopes import (
    ALL,
    DEPARTMENT,
    DEPARTMENT_TREE,
    OWN,
    OWN_AND_REPORTS,
    scope_criteria,
)
from patron.rbac.sharing import share_records
from patron.records.changes import changed_fields
from patron.records.children import Children, Parent
from patron.records.listing import ListArgsSchema, list_args_schema, list_records
from patron.records.operations import (
    check_version,
    create_record,
    create_records,
    delete_record,
    update_record,
    update_records,
)
from patron.records.readable import check_reference, readable_record
from patron.records.references import Reference, Referrer, count_references
from patron.records.rules import Rules, Unique, merged
from patron.records.settings import SettingsSection, TenantSettings
from patron.records.spec import ResourceSpec, spec_for
from patron.schemas import (
    CURRENCY,
    PHONE,
    Amount,
    BaseSchema,
    FileField,
    OwnedRecordSchema,
    RecordSchema,
    UTCDateTime,
    custom_values,
    page_schema,
    patch_schema,
    text,
)
from patron.tenancy.letterhead import logo_data_url
from patron.tenancy.models import Tenant
from patron.tenancy.sequences import numbered
from patron.tenancy.services import current_tenant, tenant_currency
from patron.web.display import reference_names
from patron.web.fields import FieldInfo, choices, required_custom_fields, schema_fields
from patron.web.form_panels import FormPanel
from patron.web.home import Widget
from patron.web.labels import label
from patron.web.list_query import list_url
from patron.web.menu import MenuItem
from patron.web.public import public_key, public_page
from patron.web.record_actions import RecordAction
from patron.web.record_forms import initial_values, local_zone, parse_form
from patron.web.timeline import timeline_section
from patron.web.writes import (
    STALE,
    Outcome,
    attempt,
    flash_refusal,
    refused,
    save_changes,
    save_new,
)

#: What the SDK offers, by section, in the order the plugin guide lists it. A name exported
#: here must have a docstring (or an entry in :data:`NOTES`); the guide is generated from both.
SECTIONS: dict[str, tuple[str, ...]] = {
    "Declaring a module": (
        "SDK_VERSION", "ModuleInfo", "hookimpl", "Permission", "Entity", "Lookup",
        "SettingsSection", "Job", "MenuItem",
        "Panel", "RecordAction", "FormPanel", "Reference", "Referrer", "count_references",
        "is_enabled",
    ),
    "Models and columns": (
        "db", "TenantScoped", "Timestamps", "Versioned", "Owned", "owner_constraints",
        "tenant_fk", "new_id", "utcnow", "JSONType", "UTCDateTimeColumn", "AMOUNT",
        "custom_values_index", "numbered",
    ),
    "Migrations": (
        "create_custom_values_indexes", "drop_custom_values_indexes", "tenants_in_turn",
    ),
    "Tenants and people": (
        "Tenant", "current_tenant", "current_tenant_id", "require_tenant_id", "tenant_context",
        "tenant_currency", "logo_data_url", "User", "Role", "Department",
    ),
    "Access: permissions, data scopes, sharing": (
        "require", "can", "require_user", "acting_user_id", "scope_for", "scoped_select",
        "get_scoped_or_404", "in_scope", "scope_criteria", "share_records", "secured",
        "hidden_fields", "OWN", "OWN_AND_REPORTS", "DEPARTMENT", "DEPARTMENT_TREE", "ALL",
    ),
    "Customer master": (
        "Account", "Contact", "Product", "Activity", "AccountSchema", "ACCOUNT_STATUSES",
        "check_reference", "readable_record", "timeline",
    ),
    "Records: specs, operations, lists": (
        "ResourceSpec", "spec_for", "Rules", "Unique", "merged", "create_record",
        "update_record", "delete_record", "create_records", "update_records",
        "apply_custom_values_many",
        "check_version", "changed_fields", "list_records", "ListArgsSchema",
        "list_args_schema", "Parent",
        "Children", "TenantSettings", "ValidationFailed", "FieldError", "Conflict",
    ),
    "Schemas and field types": (
        "BaseSchema", "RecordSchema", "OwnedRecordSchema", "patch_schema", "page_schema",
        "Amount", "UTCDateTime", "CURRENCY", "PHONE", "FileField", "custom_values", "text",
    ),
    "API": (
        "PatronBlueprint", "register_crud", "register_children", "register_settings",
        "expected_version",
    ),
    "Pages": (
        "Outcome", "attempt", "refused", "save_new", "save_changes", "flash_refusal", "STALE",
        "FieldInfo", "schema_fields", "required_custom_fields", "choices", "parse_form",
        "initial_values", "local_zone",
        "label", "reference_names", "timeline_section", "public_page", "public_key",
        "takes_files", "Widget", "list_url",
    ),
    "Events, jobs and e-mail": ("emit", "emit_many", "handle_by_name", "DomainEvent",
                                "EventType", "payload", "queue_mail",
                                "MailAttachment", "mail_enabled", "absolute_url", "page_path",
                                "notify"),
    "Imports: matching duplicates": ("Matcher", "find_target", "CREATE", "SKIP", "UPDATE"),
}

#: One line for each exported name that has no docstring of its own (constants, instances).
NOTES: dict[str, str] = {
    "SDK_VERSION": "The SDK's ``(major, minor)`` version: minor releases only add.",
    "db": "The Flask-SQLAlchemy extension: ``db.session``, ``db.select``; queries of "
          "tenant-owned models are scoped to the current tenant automatically.",
    "AMOUNT": "Column type of money amounts: ``Numeric(18, 4)``.",
    "JSONType": "Column type of JSON values (``JSONB`` on PostgreSQL, ``JSON`` on SQLite).",
    "hookimpl": "Marks a function of the plugin as the implementation of the hook it is "
                "named after (see the hooks above).",
    "OWN": "Data scope: the user's own records.",
    "OWN_AND_REPORTS": "Data scope: the user's and those of everyone below them.",
    "DEPARTMENT": "Data scope: the records of the user's department.",
    "DEPARTMENT_TREE": "Data scope: the user's department and all below it.",
    "ALL": "Data scope: every record of the tenant.",
    "ACCOUNT_STATUSES": "The statuses an account may have: prospect, active, inactive.",
    "STALE": "The page message for a record someone else changed meanwhile.",
    "CURRENCY": "Validator of an ISO 4217 currency code.",
    "PHONE": "Validator of a phone number.",
    "CREATE": "``on_duplicate`` choice of imports: create a new record anyway.",
    "SKIP": "``on_duplicate`` choice of imports: leave the existing record alone.",
    "UPDATE": "``on_duplicate`` choice of imports: update the existing record.",
}

__all__ = [name for names in SECTIONS.values() for name in names]
