"""Which modules the current tenant has switched on (DESIGN.md invariant 3).

Switching them is :mod:`patron.modules` (it emits events, a layer above the kernel).
"""

from __future__ import annotations

from patron.config_cache import shared_cached, versioned_config
from patron.context_cache import forget_on_change
from patron.db import db, require_tenant_id
from patron.plugins.info import ModuleInfo
from patron.plugins.manager import TenantHooks, registry
from patron.plugins.models import TenantModule

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


def tenant_hooks() -> TenantHooks:
    """Hooks of the modules the current tenant has enabled: tenant-scope hooks are only ever
    called through this (see :mod:`patron.plugins.manager`)."""
    reg = registry()
    return reg.hooks_without(frozenset(reg.modules) - enabled_modules())
