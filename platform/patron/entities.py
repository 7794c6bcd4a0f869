"""Entities: the record types the core and plugins register for custom fields, search,
audit, import and export (``patron_register_entities``).
"""

from __future__ import annotations

from dataclasses import dataclass

from patron.plugins.manager import registrations, registrations_by_plugin

#: The schema of each entity that has record operations, by entity name: what a record of it
#: holds. :func:`patron.records.spec.register_spec` fills it in (a layer above), so field-level
#: security (:mod:`patron.rbac`) can check a role's field rules without importing records.
_SCHEMAS: dict[str, type] = {}


@dataclass(frozen=True)
class Entity:
    """A record type that tenants can extend and search.

    ``name`` is singular (``contact``), ``resource`` the permission/data-scope resource
    (``core.contacts``), ``title`` the attribute that names a record, ``searchable`` the
    attributes global search matches. ``match_on`` names the fields that identify a record
    already there when a CSV is imported, in order of preference: a row is compared
    (case-insensitively) on the first of them it has a value for. ``page`` is the endpoint of
    the module's own page for one record (called with ``record_id``: the deal page, the
    ticket page): every link to a record of the entity — lists, search, the 360° view, the
    audit log, the page a new record's form lands on — goes there, and that page links back
    to the generic one ("Details") for the timeline, files and history. ``field_groups`` are
    fields that carry the same data (a contact's ``email`` is the first of its ``emails``):
    a role's field rule on one of them covers them all, the strictest rule winning, so what
    is hidden in one field is not shown through another.
    """

    name: str
    label: str
    model: type
    resource: str
    title: str = "name"
    searchable: tuple[str, ...] = ()
    module: str | None = None  # None for the core; otherwise the module that must be enabled
    match_on: tuple[str, ...] = ()
    page: str | None = None
    field_groups: tuple[tuple[str, ...], ...] = ()

    @property
    def has_custom_fields(self) -> bool:
        """Whether records carry a ``custom`` JSON column."""
        return hasattr(self.model, "custom")


@dataclass(frozen=True)
class Lookup:
    """A kind of record other records refer to that has no record pages of its own (a
    pipeline, a stage, a queue): reference fields offer its records by ``title``, and pages
    show that title instead of an id.

    ``name`` is what a reference names (``stage`` for ``stage_id``, or a UUID field with
    ``metadata={"reference": "stage"}``) and ``label`` what people call one (translatable:
    pass ``lazy_gettext("Stage")``); ``permission`` is the one needed to see the records.
    ``narrowed_by`` names a field of the referring record whose value narrows the choices to
    the lookup's records with the same value in their column of that name (a deal's stages are
    those of its ``pipeline_id``); forms offer them again when that field changes.
    ``order_by`` is the column choices are listed by (``position`` for stages; default: the
    title).
    """

    name: str
    label: str
    model: type
    permission: str
    title: str = "name"
    narrowed_by: str | None = None
    order_by: str | None = None


def lookups() -> dict[str, tuple[str, Lookup]]:
    """Every registered lookup by name, with the module that registered it (``patron.core``
    for the core's)."""
    return {item.name: (module, item)
            for module, item in registrations_by_plugin("patron_register_lookups")}


def entities() -> dict[str, Entity]:
    """Every registered entity, by name."""
    return {e.name: e for e in registrations("patron_register_entities")}


def entity(name: str) -> Entity:
    """The entity called ``name``; :class:`KeyError` if none is registered."""
    return entities()[name]


def register_schema(name: str, schema: type) -> None:
    """Record that entity ``name``'s records are described by the marshmallow ``schema``."""
    _SCHEMAS[name] = schema


def schema_of(name: str) -> type | None:
    """The schema of entity ``name``'s records; ``None`` when it has no record operations."""
    return _SCHEMAS.get(name)
