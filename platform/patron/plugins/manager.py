"""Loading plugins at boot and gating them per tenant.

Every installed plugin is loaded once per application (its blueprints registered, its models
mapped). What varies per tenant is only *which plugins are called*: tenant-scope hooks go
through :func:`tenant_hooks`, a proxy that hands out
``pm.subset_hook_caller(name, remove_plugins=<disabled>)``, cached per set of disabled plugins
(the trick of pytest's ``FSHookProxy``).
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from typing import Any

import pluggy
from flask import current_app

from patron.plugins import hookspecs
from patron.plugins.info import ModuleInfo

ENTRY_POINT_GROUP = "patron.plugins"
CORE_PLUGIN = "patron.core"


class PluginError(RuntimeError):
    """A plugin could not be loaded, or a module change was refused."""


@dataclass
class Registry:
    """The plugin manager with the installed modules, kept in ``app.extensions["patron"]``."""

    pm: pluggy.PluginManager
    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    plugins: dict[str, Any] = field(default_factory=dict)
    _subsets: dict[tuple[str, frozenset[str]], Any] = field(default_factory=dict)

    def hooks_without(self, disabled: frozenset[str]) -> TenantHooks:
        """A hook relay that leaves out the plugins of the ``disabled`` modules."""
        return TenantHooks(self, disabled)

    def subset_caller(self, name: str, disabled: frozenset[str]):
        """``pm.subset_hook_caller`` for one hook, cached per set of disabled modules."""
        key = (name, disabled)
        caller = self._subsets.get(key)
        if caller is None:
            remove = [self.plugins[m] for m in disabled if m in self.plugins]
            caller = self.pm.subset_hook_caller(name, remove_plugins=remove)
            self._subsets[key] = caller
        return caller


class TenantHooks:
    """Attribute access returns the hook caller restricted to the tenant's modules."""

    def __init__(self, registry: Registry, disabled: frozenset[str]) -> None:
        self._registry = registry
        self._disabled = disabled

    def __getattr__(self, name: str):
        return self._registry.subset_caller(name, self._disabled)


def _module_info(name: str, plugin: Any) -> ModuleInfo:
    info = getattr(plugin, "patron_module", None)
    if not isinstance(info, ModuleInfo):
        raise PluginError(f"plugin {name!r} does not export patron_module = ModuleInfo(...)")
    if info.name != name:
        raise PluginError(f"plugin entry point {name!r} declares module name {info.name!r}")
    return info


def create_registry(extra_plugins: list[Any] | None = None) -> Registry:
    """Build the plugin manager: hookspecs, the core's own hooks, every installed plugin.

    ``extra_plugins`` are modules registered after the entry points (tests use this to load
    the fake plugins of ``tests/fake_plugins`` for one app only).
    """
    from patron import core_hooks
    from patron.audit import hooks as audit_hooks

    pm = pluggy.PluginManager("patron")
    pm.add_hookspecs(hookspecs)
    pm.register(core_hooks, name=CORE_PLUGIN)
    # Core policy that must hear every tenant's events is a plugin too, but no module: it can
    # never be disabled (STYLE.md: "even core policy can be a plugin").
    pm.register(audit_hooks, name="patron.audit")
    registry = Registry(pm)
    loaded = [
        (ep.name, ep.load())
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    ]
    loaded += [(plugin.patron_module.name, plugin) for plugin in extra_plugins or []]
    for name, plugin in loaded:
        if name in registry.modules:
            continue
        registry.modules[name] = _module_info(name, plugin)
        registry.plugins[name] = plugin
        pm.register(plugin, name=name)
    for name, info in registry.modules.items():
        missing = [r for r in info.requires if r not in registry.modules]
        if missing:
            raise PluginError(f"module {name!r} requires {', '.join(missing)}, not installed")
    pm.check_pending()
    return registry


def registry() -> Registry:
    """The current application's plugin registry."""
    return current_app.extensions["patron"]


def registrations_by_plugin(hook_name: str) -> list[tuple[str, Any]]:
    """``(plugin name, item)`` for everything an app-scope ``patron_register_*`` hook returned.

    Cached per app: registrations cannot change while the app runs (plugins load at boot).
    The plugin name is the module name (``patron.core`` for the core), for gating per tenant.
    """
    cache = current_app.extensions.setdefault("patron_registrations", {})
    if hook_name not in cache:
        hook = getattr(registry().pm.hook, hook_name)
        cache[hook_name] = [
            (impl.plugin_name, item)
            for impl in reversed(hook.get_hookimpls())
            for item in impl.function() or []
        ]
    return cache[hook_name]


def registrations(hook_name: str) -> list:
    """Everything an app-scope ``patron_register_*`` hook returned, flattened."""
    return [item for _, item in registrations_by_plugin(hook_name)]


def tenant_hooks() -> TenantHooks:
    """Hooks of the modules the current tenant has enabled (see module docstring)."""
    from patron.plugins.services import enabled_modules

    reg = registry()
    disabled = frozenset(reg.modules) - enabled_modules()
    return reg.hooks_without(disabled)
