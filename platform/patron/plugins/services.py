"""Switching modules on and off for the current tenant (DESIGN.md invariant 3)."""

from __future__ import annotations

from datetime import UTC, datetime

from patron.config_cache import shared_cached, versioned_config
from patron.context_cache import forget_on_change
from patron.db import db, require_tenant_id
from patron.events import emit
from patron.plugins.info import ModuleInfo
from patron.plugins.manager import registry, tenant_hooks
from patron.plugins.models import TenantModule


class ModuleChangeRefused(ValueError):
    """Enabling or disabling was refused; the message says why, for the user to read."""


#: :mod:`patron.config_cache` namespace of the enabled modules; a module switched on or off
#: moves the tenant to a new configuration version.
ENABLED = "enabled_modules"
forget_on_change(TenantModule, ENABLED)
versioned_config(TenantModule)


def enabled_modules() -> frozenset[str]:
    """Names of the installed modules the current tenant has enabled (shared between requests
    until the tenant's configuration changes)."""
    require_tenant_id()
    return shared_cached(ENABLED, None, lambda: frozenset(db.session.execute(
        db.select(TenantModule.name).where(TenantModule.enabled.is_(True))
    ).scalars()) & frozenset(registry().modules))


def is_enabled(name: str) -> bool:
    """Whether module ``name`` is installed and enabled for the current tenant."""
    return name in enabled_modules()


def installed_modules() -> dict[str, ModuleInfo]:
    """Every installed module, by name."""
    return registry().modules


def get_module(name: str) -> ModuleInfo:
    """The installed module ``name``; :class:`KeyError` if none is installed by that name."""
    return registry().modules[name]


def _set_state(name: str, enabled: bool) -> None:
    row = db.session.execute(
        db.select(TenantModule).where(TenantModule.name == name)
    ).scalar_one_or_none()
    if row is None:
        row = TenantModule(name=name)
        db.session.add(row)
    row.enabled = enabled
    row.changed_at = datetime.now(UTC)
    db.session.flush()


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
    _set_state(name, True)
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
