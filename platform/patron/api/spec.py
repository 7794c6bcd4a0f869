"""How one model is exposed: :class:`ResourceSpec`, and the registry of every spec.

Pages, imports and exports find the API's schema, validation and operations for an entity
here, so every interface goes through the same code path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema

from patron.api.filters import FilterSet
from patron.customfields.services import definitions_of
from patron.db.json_ops import json_value

_SPECS: dict[str, ResourceSpec] = {}


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
    #: Response schema of ``POST`` when it must show more than ``schema`` (a secret shown only
    #: at creation); the ``<event>.created`` payload is always ``schema``'s dump.
    created_schema: type[Schema] | None = None
    #: The registered entity (``patron_register_entities``) whose custom fields the records
    #: carry: validated on write, filterable and sortable as ``custom.<name>``.
    entity: str | None = None

    def filter_set(self) -> FilterSet:
        """Columns clients may filter and sort on, custom fields of the tenant included."""
        names = {"id", *self.filterable, *self.searchable, *self.sortable}
        columns = {n: getattr(self.model, n) for n in names}
        sortable = self.sortable
        if self.entity:
            custom = {f"custom.{d.name}": json_value(self.model.custom, d.name, d.type)
                      for d in definitions_of(self.entity)}
            columns |= custom
            sortable = (*sortable, *custom)
        return FilterSet(columns=columns, searchable=self.searchable, sortable=sortable)


def register_spec(spec: ResourceSpec) -> None:
    """Remember ``spec`` under its entity name (or its URL name when it has no entity)."""
    _SPECS[spec.entity or spec.name] = spec


def spec_for(name: str) -> ResourceSpec:
    """The spec of entity (or resource) ``name``; :class:`KeyError` if none is registered."""
    return _SPECS[name]
