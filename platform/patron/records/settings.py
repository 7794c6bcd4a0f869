"""A module's settings for the tenant: one row per tenant, read and changed like a record;
and the sections of the Settings area that every module's settings are declared with.

A module declares its settings as a :class:`TenantSettings` (the row's model, schema and
permission; the row is made with its defaults the first time anyone asks), and
:func:`patron.api.settings.register_settings` gives it ``GET`` and ``PATCH`` (optimistic
locking, ``<event>.updated`` with the changes, hence the audit log and webhooks). The model
carries ``UniqueConstraint("tenant_id")``: one row per tenant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from patron.db import db
from patron.events.catalogue import EventType, declare
from patron.plugins.manager import registrations_by_plugin
from patron.records.children import Children
from patron.records.operations import check_version, update_record
from patron.records.spec import ResourceSpec


@dataclass(frozen=True)
class TenantSettings:
    """The settings row of ``spec.model`` for the current tenant.

    ``defaults()`` gives the values of a new row; ``prepare(data)`` turns loaded data into
    column values before a change (keys a JSON column stores as strings, say).
    """

    spec: ResourceSpec
    defaults: Callable[[], dict] = dict
    prepare: Callable[[dict], dict] | None = None

    def __post_init__(self) -> None:
        # The row is made without an event when first read; only its changes are announced.
        declare([EventType(f"{self.spec.event}.updated",
                           f"The tenant's {self.spec.event.replace('_', ' ')} changed.",
                           self.spec.schema, changes=True)])

    def current(self) -> Any:
        """The tenant's row (made with :attr:`defaults` the first time it is asked for)."""
        row = db.session.execute(select(self.spec.model)).scalar_one_or_none()
        if row is None:
            row = self.spec.model(**self.defaults())
            db.session.add(row)
            db.session.flush()
        return row

    def change(self, data: dict, expected_version: int | None = None) -> Any:
        """Apply loaded ``data`` to the tenant's row (409 when ``expected_version`` is stale);
        returns the row."""
        row = self.current()
        check_version(row, expected_version)
        update_record(self.spec, row, self.prepare(data) if self.prepare else data)
        return row


@dataclass(frozen=True)
class SettingsSection:
    """One page of the Settings area, for what a module lets a tenant's admin configure.

    ``path`` is the API path it edits, under ``/api/v1`` (``sales/pipelines``); the page is
    ``/settings/<path>``. Exactly one of:

    - ``spec``: a collection (pipelines, queues, webhooks): a list with ``columns`` (default:
      the first four fields) in ``sort`` order (the API's ``sort=``), an add form, an edit
      form per record and its delete button;
    - ``settings``: the tenant's one row (:class:`TenantSettings`): a form;
    - ``endpoint``: a page of the module's own (users, roles), which the index links to.

    ``week`` names the ``(weekday, start minute, end minute)`` fields of a collection of
    weekly periods (business hours): its page is then the week as a grid, each day's periods
    side by side, saved as rows (:mod:`patron.web.settings_week`).

    ``read`` and ``update`` are the permissions to see and to change it (default: the spec's
    ``<permission>.read`` and ``.update``). ``children`` are ``(path of another section, its
    field naming this record)``: a record's page lists those records, in their ``position``
    order, draggable when they have one (a pipeline's stages). ``rows`` are
    :class:`~patron.records.children.Children` of the API edited on a record's page (a price
    list's prices). ``listed=False`` keeps a section out of the index (stages are reached from
    their pipeline).
    """

    path: str
    label: Any
    spec: ResourceSpec | None = None
    settings: TenantSettings | None = None
    endpoint: str | None = None
    read: str | None = None
    update: str | None = None
    description: Any = ""
    columns: tuple[str, ...] = ()
    sort: str = ""
    children: tuple[tuple[str, str], ...] = ()
    week: tuple[str, str, str] | None = None
    rows: tuple[Children, ...] = ()
    listed: bool = True

    @property
    def source(self) -> ResourceSpec | None:
        """The spec of what the page edits (``None`` for a page of the module's own)."""
        return self.settings.spec if self.settings else self.spec

    @property
    def read_permission(self) -> str | None:
        """Needed to see the section (``None``: anyone signed in)."""
        return self.read or (self.source and f"{self.source.permission}.read")

    @property
    def update_permission(self) -> str | None:
        """Needed to change what the section shows."""
        return self.write_permission("update")

    def write_permission(self, action: str) -> str | None:
        """Needed to ``create``, ``update`` or ``delete`` a record of the section: ``update``
        when the section names one (pool rules: managing the pool), else the spec's."""
        return self.update or (self.source and f"{self.source.permission}.{action}")


def settings_sections() -> dict[str, tuple[str, SettingsSection]]:
    """Every registered settings section by path, with the module that registered it
    (``patron.core`` for the core's), in registration order."""
    return {section.path: (module, section)
            for module, section in registrations_by_plugin("patron_register_settings")}
