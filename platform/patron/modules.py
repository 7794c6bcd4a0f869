"""Switching modules on and off for the current tenant (DESIGN.md invariant 3).

Enabling checks the module's declared dependencies, gives the tenant's default roles what the
module grants them the first time it is enabled (a tenant created before the module was
installed was seeded without it) and lets it seed its default data (``patron_module_enabled``);
disabling keeps the data. Both are domain events, audited like
any change.
"""

from __future__ import annotations

from datetime import UTC, datetime

from patron.db import db
from patron.events import emit
from patron.plugins.manager import registry
from patron.plugins.models import TenantModule
from patron.plugins.services import get_module, is_enabled, tenant_hooks
from patron.rbac.services import grant_module_defaults


class ModuleChangeRefused(ValueError):
    """Enabling or disabling was refused; the message says why, for the user to read."""


def _set_state(name: str, enabled: bool) -> bool:
    """Record the module's state; whether this is its first time on for the tenant."""
    row = db.session.execute(
        db.select(TenantModule).where(TenantModule.name == name)
    ).scalar_one_or_none()
    first = row is None
    if row is None:
        row = TenantModule(name=name)
        db.session.add(row)
    row.enabled = enabled
    row.changed_at = datetime.now(UTC)
    db.session.flush()
    return first


def enable_module(name: str) -> bool:
    """Enable ``name`` for the current tenant; returns False if it already was.

    Refused when a module it ``requires`` is not enabled. Calls ``patron_module_enabled``
    with the new set of modules, so the module can seed its default data.
    """
    info = get_module(name)
    if is_enabled(name):
        return False
    missing = [r for r in info.requires if not is_enabled(r)]
    if missing:
        raise ModuleChangeRefused(
            f"{info.label} needs {', '.join(missing)} enabled first"
        )
    if _set_state(name, True):
        # The first time only: a tenant admin who later took a grant away keeps it away.
        grant_module_defaults(name)
    emit("module.enabled", {"name": name, "changes": {"enabled": [False, True]}})
    tenant_hooks().patron_module_enabled(module=name)
    return True


def disable_module(name: str) -> bool:
    """Disable ``name`` for the current tenant, keeping its data; False if already off.

    Refused while another enabled module requires it.
    """
    get_module(name)
    if not is_enabled(name):
        return False
    dependants = sorted(
        other.name
        for other in registry().modules.values()
        if name in other.requires and is_enabled(other.name)
    )
    if dependants:
        raise ModuleChangeRefused(
            f"{', '.join(dependants)} require {name}; disable them first"
        )
    _set_state(name, False)
    emit("module.disabled", {"name": name, "changes": {"enabled": [True, False]}})
    return True
