"""How one model is exposed: :class:`ResourceSpec`, and the registry of every spec.

Pages, imports and exports find the API's schema, validation and operations for an entity
here, so every interface goes through the same code path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from marshmallow import Schema

from patron.config_cache import shared_cached
from patron.customfields.services import definitions_of
from patron.db import db
from patron.db.json_ops import CONTAINMENT_TYPES, json_contains_value, json_value
from patron.entities import register_schema
from patron.events.catalogue import declare, record_events
from patron.rbac.field_security import hidden_fields, secured
from patron.records.bounds import bound_by_columns
from patron.records.filters import FilterSet
from patron.records.rules import Rules
from patron.records.views import view_of

_SPECS: dict[str, ResourceSpec] = {}
#: :mod:`patron.config_cache` namespace of the filter sets (they depend on the custom fields).
FILTER_SETS = "filter_sets"


@dataclass
class ResourceSpec:
    """How one model is exposed through the API."""

    name: str  # URL segment, e.g. "accounts"
    model: type
    schema: type[Schema]
    permission: str  # resource permission prefix, e.g. "core.accounts"
    event: str  # event noun, e.g. "account"
    filterable: tuple[str, ...] = ()
    searchable: tuple[str, ...] = ()
    sortable: tuple[str, ...] = ()
    #: ``create(data) -> record`` (adds and flushes); default builds the model from ``data``.
    create: Callable[[dict], Any] | None = None
    #: ``update(record, data)`` (validates, changes, flushes); default sets the attributes.
    update: Callable[[Any, dict], None] | None = None
    #: ``delete(record)`` (may refuse); default deletes the row. ``None`` with
    #: ``deletable=False`` means the resource has no DELETE route.
    delete: Callable[[Any], None] | None = None
    deletable: bool = True
    #: ``False`` for read-only resources (the audit log): no POST, PATCH or DELETE routes.
    writable: bool = True
    #: Response schema of ``POST`` when it must show more than ``schema`` (a secret shown only
    #: at creation); the ``<event>.created`` payload is always ``schema``'s dump.
    created_schema: type[Schema] | None = None
    #: The registered entity (``patron_register_entities``) whose custom fields the records
    #: carry: validated on write, filterable and sortable as ``custom.<name>``.
    entity: str | None = None
    #: What creating, updating and deleting a record checks and fills in, single and batch;
    #: ``create``, ``update`` or ``delete`` given as well take precedence over its own.
    rules: Rules | None = None
    #: Fields a bulk action on a list may set (:mod:`patron.bulk`); ``None``: the owner and
    #: the status, where the records have them.
    bulk_fields: tuple[str, ...] | None = None

    @functools.cached_property
    def dumper(self) -> Schema:
        """One instance of :attr:`schema` for every event payload and change diff (building a
        schema per record cost more than dumping it)."""
        return self.schema()

    @functools.cached_property
    def view_columns(self) -> list | None:
        """The columns a list of these records selects to page them as read-only views, or
        ``None`` when the schema needs the records themselves (see
        :func:`patron.records.views.view_of`)."""
        return view_of(self.model, self.schema)

    def filter_set(self) -> FilterSet:
        """Columns the caller may filter, search and sort on: the tenant's custom fields
        included, the fields hidden from the caller's role left out. Shared by the requests
        of the tenant's configuration version and the same hidden fields (building the
        expressions of every custom field was a measurable part of a list request)."""
        hidden = hidden_fields(self.entity)
        return shared_cached(FILTER_SETS, (id(self), hidden),
                             lambda: self._build_filter_set(hidden))

    def _build_filter_set(self, hidden: frozenset[str]) -> FilterSet:
        names = {"id", *self.filterable, *self.searchable, *self.sortable} - hidden
        columns = {n: getattr(self.model, n) for n in names}
        sortable = tuple(n for n in self.sortable if n not in hidden)
        equality = {}
        if self.entity:
            shown = [d for d in definitions_of(self.entity) if f"custom.{d.name}" not in hidden]
            custom = {f"custom.{d.name}": json_value(self.model.custom, d.name, d.type)
                      for d in shown}
            columns |= custom
            sortable = (*sortable, *custom)
            if db.engine.dialect.name == "postgresql":  # the GIN index on ``custom``
                equality = {f"custom.{d.name}": partial(json_contains_value,
                                                        self.model.custom, d.name)
                            for d in shown if d.type in CONTAINMENT_TYPES}
        searchable = tuple(n for n in self.searchable if n not in hidden)
        return FilterSet(columns=columns, searchable=searchable, sortable=sortable,
                         equality=equality)


def response_schema(spec: ResourceSpec) -> Schema:
    """The schema ``spec``'s records are read with: the signed-in user's field rules applied
    when the spec has an entity."""
    return secured(spec.schema, spec.entity) if spec.entity else spec.schema()


def register_spec(spec: ResourceSpec) -> None:
    """Remember ``spec`` under its entity name (or its URL name when it has no entity), its
    schema bounded by its model's columns (:mod:`patron.records.bounds`), and declare its
    records' events in the catalogue."""
    bound_by_columns(spec.schema, spec.model)
    _SPECS[spec.entity or spec.name] = spec
    declare(record_events(spec.event, spec.schema, spec.event.replace("_", " ")))
    if spec.entity:
        register_schema(spec.entity, spec.schema)


def spec_for(name: str) -> ResourceSpec:
    """The spec of entity (or resource) ``name``; :class:`KeyError` if none is registered."""
    return _SPECS[name]


def spec_for_event(event: str) -> ResourceSpec | None:
    """The spec whose records announce themselves as ``event`` (``stage`` for
    ``stage.updated``); ``None`` if none does."""
    return next((spec for spec in _SPECS.values() if spec.event == event), None)
