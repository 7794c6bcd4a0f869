"""Loading plugins at boot and gating them per tenant.

Every installed plugin is loaded once per application (its blueprints registered, its models
mapped). What varies per tenant is only *which plugins are called*: tenant-scope hooks go
through :func:`patron.plugins.services.tenant_hooks`, a proxy that hands out
``pm.subset_hook_caller(name, remove_plugins=<disabled>)``, cached per set of disabled plugins
(the trick of pytest's ``FSHookProxy``).
"""

from __future__ import annotations

import functools
import importlib.metadata
from dataclasses import dataclass, field
from typing import Any

import pluggy
from flask import current_app

from patron.plugins import hookspecs
from patron.plugins.info import DECLARED_HOOKS, SDK_VERSION, ModuleInfo

hookimpl = pluggy.HookimplMarker("patron")

ENTRY_POINT_GROUP = "patron.plugins"
#: Plugin name of the core's own hooks; core policy that must hear every tenant's events
#: registers under its own ``patron.<name>`` (the audit log: ``patron.audit``).
CORE_PLUGIN = "patron.core"
AUDIT_PLUGIN = "patron.audit"


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

    def subset_caller(self, name: str, left_out: frozenset[str]):
        """``pm.subset_hook_caller`` for one hook without the plugins named in ``left_out``
        (the modules a tenant disabled, say), cached per set."""
        key = (name, left_out)
        caller = self._subsets.get(key)
        if caller is None:
            remove = [plugin for plugin_name in left_out
                      if (plugin := self.pm.get_plugin(plugin_name)) is not None]
            caller = self.pm.subset_hook_caller(name, remove_plugins=remove)
            self._subsets[key] = caller
        return caller

    @functools.cached_property
    def batch_event_handlers(self) -> frozenset[str]:
        """Plugins that take events in batches (``patron_events_emitted``): they are not also
        handed each event through ``patron_event_emitted``. Plugins load at boot only, so
        this is worked out once."""
        return frozenset(impl.plugin_name
                         for impl in self.pm.hook.patron_events_emitted.get_hookimpls())


class TenantHooks:
    """Attribute access returns the hook caller restricted to the tenant's modules."""

    def __init__(self, registry: Registry, disabled: frozenset[str]) -> None:
        self._registry = registry
        self._disabled = disabled

    def __getattr__(self, name: str):
        return self._registry.subset_caller(name, self._disabled)

    def events_emitted(self, events: list) -> None:
        """Hand ``events`` to the tenant's event handlers: those implementing
        ``patron_events_emitted`` get the whole batch in one call, those implementing only
        ``patron_event_emitted`` get each event in turn."""
        self.patron_events_emitted(events=events)
        one_by_one = self._registry.subset_caller(
            "patron_event_emitted", self._disabled | self._registry.batch_event_handlers)
        if one_by_one.get_hookimpls():
            for event in events:
                one_by_one(event=event)


def _module_info(name: str, plugin: Any) -> ModuleInfo:
    info = getattr(plugin, "patron_module", None)
    if not isinstance(info, ModuleInfo):
        raise PluginError(f"plugin {name!r} does not export patron_module = ModuleInfo(...)")
    if info.name != name:
        raise PluginError(f"plugin entry point {name!r} declares module name {info.name!r}")
    if info.sdk != SDK_VERSION[0]:
        raise PluginError(f"plugin {name!r} is written for version {info.sdk} of patron.sdk; "
                          f"this Patron offers version {SDK_VERSION[0]}")
    return info


def _returning(value: Any):
    def registration() -> Any:
        return list(value) if not isinstance(value, dict) else dict(value)

    return hookimpl(registration)


class ModulePlugin:
    """What the plugin manager registers for one module: the module's own hook
    implementations, plus a ``patron_register_*`` implementation for each registration its
    :class:`ModuleInfo` declares. Registering one object per module keeps per-tenant gating
    whole: leaving the module out leaves out both."""

    def __init__(self, name: str, module: Any, info: ModuleInfo) -> None:
        self.module = module
        for attribute in dir(module):
            value = getattr(module, attribute)
            if attribute.startswith("patron_") and hasattr(value, "patron_impl"):
                setattr(self, attribute, value)
        for hook_name in DECLARED_HOOKS:
            declared = info.declared(hook_name)
            if not declared:
                continue
            if hasattr(self, hook_name):
                raise PluginError(f"plugin {name!r} both implements {hook_name} and declares "
                                  f"{DECLARED_HOOKS[hook_name]} in its ModuleInfo: keep one")
            setattr(self, hook_name, _returning(declared))


def create_registry(core_plugins: list[tuple[str, Any]],
                    extra_plugins: list[Any] | None = None) -> Registry:
    """Build the plugin manager: hookspecs, the core's own hook modules, every installed
    plugin.

    ``core_plugins`` are ``(name, module)`` pairs of core policy that is a plugin too but no
    module a tenant switches (STYLE.md: "even core policy can be a plugin"): the application
    hands them in, so the kernel never imports what sits above it. ``extra_plugins`` are
    modules registered after the entry points (tests use this to load the fake plugins of
    ``tests/fake_plugins`` for one app only).
    """
    pm = pluggy.PluginManager("patron")
    pm.add_hookspecs(hookspecs)
    for name, module in core_plugins:
        pm.register(module, name=name)
    registry = Registry(pm)
    loaded = [
        (ep.name, ep.load())
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    ]
    loaded += [(plugin.patron_module.name, plugin) for plugin in extra_plugins or []]
    for name, plugin in loaded:
        if name in registry.modules:
            continue
        info = _module_info(name, plugin)
        registry.modules[name] = info
        registry.plugins[name] = ModulePlugin(name, plugin, info)
        pm.register(registry.plugins[name], name=name)
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
