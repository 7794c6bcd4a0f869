"""The roles every new tenant starts with (editable afterwards by the tenant admin)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from patron.plugins.manager import registrations_by_plugin
from patron.rbac.permissions import declared_permissions
from patron.rbac.scopes import ALL, DEPARTMENT_TREE, OWN


def _grant(resource: str, *actions: str) -> list[str]:
    return [f"core.{resource}.{action}" for action in actions]


DIRECTORY = ["core.users.read", "core.departments.read", "core.customfields.read"]
#: Everyone who works with customers reads the catalogue and the files of what they can see.
READ_CUSTOMERS = [f"core.{resource}.read"
                  for resource in ("accounts", "contacts", "products", "attachments")]
#: Working the customer master: accounts, contacts and the timeline, and attaching files.
WORK_CUSTOMERS = [*READ_CUSTOMERS, *_grant("accounts", "create", "update"),
                  *_grant("contacts", "create", "update"),
                  *_grant("activities", "read", "create", "update", "delete"),
                  *_grant("attachments", "create")]
#: Logging calls and visits on any customer (service and field work).
LOG_ACTIVITIES = [*READ_CUSTOMERS, *_grant("activities", "read", "create", "update"),
                  *_grant("attachments", "create")]
SALES_SCOPES = ("core.accounts", "core.contacts", "core.activities")
#: Importing CSV files into what the role may create; each import's own scope is the role's
#: default one. (Exporting needs only the read permission of what is exported.)
IMPORTS = _grant("imports", "read", "create")

#: key -> (name, description, permissions, scopes, default scope); the name and description
#: are seeded in the tenant's language (the tenant's data from then on, renamed at will).
DEFAULT_ROLES: dict[str, tuple[Any, Any, list[str], dict[str, str], str]] = {
    "admin": (_l("Administrator"), _l("Everything, including tenant settings."), ["*"], {}, ALL),
    "sales_manager": (
        _l("Sales manager"), _l("Customer and sales records of their department and below."),
        [*WORK_CUSTOMERS, *_grant("accounts", "delete"), *_grant("contacts", "delete"),
         *_grant("products", "create", "update", "delete"), *_grant("attachments", "delete"),
         *IMPORTS, *DIRECTORY],
        dict.fromkeys(SALES_SCOPES, DEPARTMENT_TREE), DEPARTMENT_TREE,
    ),
    "sales_rep": (_l("Sales rep"), _l("Their own customer and sales records."),
                  [*WORK_CUSTOMERS, *IMPORTS, *DIRECTORY], dict.fromkeys(SALES_SCOPES, OWN),
                  OWN),
    "service_agent": (_l("Service agent"), _l("Service records; reads all customers."),
                      [*LOG_ACTIVITIES, *DIRECTORY],
                      {"core.accounts": ALL, "core.contacts": ALL}, OWN),
    "technician": (_l("Technician"), _l("Their own work orders; reads all customers."),
                   [*LOG_ACTIVITIES, *DIRECTORY],
                   {"core.accounts": ALL, "core.contacts": ALL}, OWN),
    "marketer": (_l("Marketer"), _l("Marketing records; reads all customers."),
                 [*READ_CUSTOMERS, *_grant("activities", "read"), *DIRECTORY],
                 {"core.accounts": ALL}, ALL),
    "read_only": (_l("Read-only"), _l("Reads everything, changes nothing."), [], {}, ALL),
}


def default_role_grants() -> dict[str, dict]:
    """The default roles with what the core and every installed plugin grant them."""
    roles = {
        key: {"name": name, "description": description, "permissions": list(perms),
              "scopes": dict(scopes), "default_scope": default}
        for key, (name, description, perms, scopes, default) in DEFAULT_ROLES.items()
    }
    roles["read_only"]["permissions"] = sorted(
        n for n in declared_permissions() if n.endswith(".read")
    )
    registry = current_app.extensions["patron"]
    for contribution in registry.pm.hook.patron_register_default_roles():
        for key, grant in contribution.items():
            if key in roles and key != "admin":
                roles[key]["permissions"] += grant.get("permissions", [])
                roles[key]["scopes"].update(grant.get("scopes", {}))
    return roles


def module_role_grants(module: str) -> dict[str, dict]:
    """What module ``module`` grants the default roles: its ``patron_register_default_roles``
    contribution, and the read-only role its ``.read`` permissions."""
    grants: dict[str, dict] = {}
    registry = current_app.extensions["patron"]
    for impl in registry.pm.hook.patron_register_default_roles.get_hookimpls():
        if impl.plugin_name != module:
            continue
        for key, grant in (impl.function() or {}).items():
            if key != "admin":
                role = grants.setdefault(key, {"permissions": [], "scopes": {}})
                role["permissions"] += grant.get("permissions", [])
                role["scopes"].update(grant.get("scopes", {}))
    reads = [permission.name for plugin, permission
             in registrations_by_plugin("patron_register_permissions")
             if plugin == module and permission.name.endswith(".read")]
    if reads:
        grants.setdefault("read_only", {"permissions": [], "scopes": {}})["permissions"] += reads
    return grants
