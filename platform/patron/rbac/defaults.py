"""The roles every new tenant starts with (editable afterwards by the tenant admin)."""

from __future__ import annotations

from flask import current_app

from patron.rbac.permissions import declared_permissions
from patron.rbac.scopes import ALL, DEPARTMENT_TREE, OWN

ACCOUNTS = ["core.accounts.read", "core.accounts.create", "core.accounts.update"]
DIRECTORY = ["core.users.read", "core.departments.read", "core.customfields.read"]

#: key -> (name, description, permissions, scopes, default scope)
DEFAULT_ROLES: dict[str, tuple[str, str, list[str], dict[str, str], str]] = {
    "admin": ("Administrator", "Everything, including tenant settings.", ["*"], {}, ALL),
    "sales_manager": (
        "Sales manager", "Customer and sales records of their department and below.",
        [*ACCOUNTS, "core.accounts.delete", *DIRECTORY], {"core.accounts": DEPARTMENT_TREE},
        DEPARTMENT_TREE,
    ),
    "sales_rep": ("Sales rep", "Their own customer and sales records.",
                  [*ACCOUNTS, *DIRECTORY], {"core.accounts": OWN}, OWN),
    "service_agent": ("Service agent", "Service records; reads all customers.",
                      ["core.accounts.read", *DIRECTORY], {"core.accounts": ALL}, OWN),
    "technician": ("Technician", "Their own work orders; reads all customers.",
                   ["core.accounts.read", *DIRECTORY], {"core.accounts": ALL}, OWN),
    "marketer": ("Marketer", "Marketing records; reads all customers.",
                 ["core.accounts.read", *DIRECTORY], {"core.accounts": ALL}, ALL),
    "read_only": ("Read-only", "Reads everything, changes nothing.", [], {}, ALL),
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
