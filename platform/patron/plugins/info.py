"""What a module declares about itself: ``patron_module = ModuleInfo(...)`` in its package.

Besides its name, label and dependencies, a module declares what it registers with the
application: permissions, default role grants, models, entities, blueprints, its migrations,
jobs and outbox channels. The plugin manager turns each declaration into the matching
``patron_register_*`` hook (:data:`DECLARED_HOOKS`), so a plugin writes none of those by
hand; the hooks stay for what needs code (menus, panels, event handlers, CLI commands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The version of :mod:`patron.sdk`, the plugin surface: a minor release only adds to it, a
#: major one may change or remove what it offered (the plugin guide's "Compatibility").
SDK_VERSION = (1, 5)  # 1.1: Lookup, hidden_fields; 1.2: SettingsSection, labels;
#                        1.3: apply_custom_values_many, takes_files;
#                        1.4: absolute_url, list_args_schema, Widget,
#                        list_url, patron_provide_home_widgets, notify,
#                        page_path, handle_by_name; 1.5: ResourceSpec.bulk_fields,
#                        MailAttachment, queue_mail(attachments=), logo_data_url,
#                        EventType, payload, ModuleInfo.events

#: ``patron_register_*`` hook → the :class:`ModuleInfo` field that declares what it returns.
DECLARED_HOOKS = {
    "patron_register_permissions": "permissions",
    "patron_register_default_roles": "default_roles",
    "patron_register_models": "models",
    "patron_register_entities": "entities",
    "patron_register_lookups": "lookups",
    "patron_register_settings": "settings",
    "patron_register_labels": "labels",
    "patron_register_api_blueprints": "api_blueprints",
    "patron_register_web_blueprints": "web_blueprints",
    "patron_register_migrations": "migrations",
    "patron_register_jobs": "jobs",
    "patron_register_outbox_channels": "outbox_channels",
    "patron_register_events": "events",
}


@dataclass(frozen=True)
class ModuleInfo:
    """A module's declaration, exported from the plugin package as ``patron_module``.

    ``name`` is the module name tenants enable (and the entry-point name); ``requires`` lists
    modules that must be enabled first; ``sdk`` is the major version of :mod:`patron.sdk` the
    plugin is written against (a plugin for another major version is refused at start-up).
    The remaining fields declare what the module registers (see :data:`DECLARED_HOOKS` and
    the hooks' documentation in :mod:`patron.plugins.hookspecs`):

    - ``permissions``: :class:`~patron.rbac.permissions.Permission` objects;
    - ``default_roles``: ``{role_key: {"permissions": [...], "scopes": {resource: scope}}}``;
    - ``models``: the module's tenant-owned models;
    - ``entities``: :class:`~patron.entities.Entity` objects (custom fields, search, imports);
    - ``lookups``: :class:`~patron.entities.Lookup` objects (what reference fields pick from);
    - ``settings``: :class:`~patron.records.settings.SettingsSection` objects (Settings pages);
    - ``labels``: ``{field, choice or resource name: lazy label}`` (what pages call them);
    - ``api_blueprints`` (mounted at ``/api/v1/<name>``) and ``web_blueprints`` (pages);
    - ``migrations``: the directories of the module's Alembic branch;
    - ``jobs``: :class:`~patron.events.jobs.Job` objects the worker runs per tenant;
    - ``outbox_channels``: consumers of events outside the process;
    - ``events``: :class:`~patron.events.catalogue.EventType` objects, the events the module
      emits besides its records' own (the event catalogue).
    """

    name: str
    label: str
    version: str = "0"
    description: str = ""
    requires: tuple[str, ...] = field(default_factory=tuple)
    sdk: int = 1
    permissions: Sequence[Any] = ()
    default_roles: Mapping[str, dict] = field(default_factory=dict)
    models: Sequence[type] = ()
    entities: Sequence[Any] = ()
    lookups: Sequence[Any] = ()
    settings: Sequence[Any] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    api_blueprints: Sequence[Any] = ()
    web_blueprints: Sequence[Any] = ()
    migrations: Sequence[Path] = ()
    jobs: Sequence[Any] = ()
    outbox_channels: Sequence[Any] = ()
    events: Sequence[Any] = ()

    def declared(self, hook_name: str) -> Any:
        """What this module declares for the registration hook ``hook_name`` (empty if
        nothing)."""
        return getattr(self, DECLARED_HOOKS[hook_name])
