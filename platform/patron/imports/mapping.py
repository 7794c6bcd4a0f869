"""Which fields of an entity a CSV column can fill, and which column fills which field.

The fields are those the entity's API schema loads (what ``POST`` accepts) plus the tenant's
custom fields as ``custom.<name>``; a cell becomes what a JSON client would send for that field,
so the API's own schema validates it (:mod:`patron.imports.validation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marshmallow import fields

from patron.customfields.fields import values_schema
from patron.customfields.models import CustomFieldDefinition
from patron.errors import ValidationFailed
from patron.records.refusals import RECORD_ERRORS
from patron.records.spec import ResourceSpec

#: How the values of a multi-valued cell (a multi-select, several e-mail addresses) are
#: separated; exports write them the same way.
LIST_SEPARATOR = ";"
CUSTOM_PREFIX = "custom."


@dataclass(frozen=True)
class ImportField:
    """A field a column can fill: ``name`` is what the API calls it (``custom.<name>`` for a
    custom field), ``field`` the marshmallow field that loads it."""

    name: str
    label: str
    required: bool
    field: fields.Field

    @property
    def custom_name(self) -> str | None:
        """The key in ``custom`` for a custom field, else None."""
        return self.name.removeprefix(CUSTOM_PREFIX) if self.name.startswith(CUSTOM_PREFIX) \
            else None

    def cell_input(self, text: str) -> object:
        """What a JSON client would send for a cell holding ``text`` (already stripped)."""
        if isinstance(self.field, fields.List):
            return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
        if isinstance(self.field, fields.Integer) and self.field.strict:
            try:
                return int(text)
            except ValueError:
                return text  # the schema says what is wrong with it
        return text


def _fits_a_cell(field: fields.Field) -> bool:
    """Nested objects (addresses, say) have no CSV form; lists of scalars do."""
    inner = field.inner if isinstance(field, fields.List) else field
    return not isinstance(inner, fields.Nested | fields.Dict | fields.List)


#: Column names people give a reference besides the field's own: a "Company" column of a
#: contacts file names each contact's account.
REFERENCE_ALIASES = {"account_id": ("company", "company name", "organisation", "organization")}


def humanise(name: str) -> str:
    """``first_name`` → "First name"."""
    return name.replace("_", " ").capitalize()


def importable_fields(spec: ResourceSpec, definitions: list[CustomFieldDefinition],
                      locked: frozenset[str] = frozenset()) -> dict[str, ImportField]:
    """The fields of ``spec``'s records a column can fill, by API name, but the ``locked``
    ones (those field-level security keeps the user from changing)."""
    found = {}
    for name, field in spec.schema().load_fields.items():
        key = field.data_key or name
        if key == "custom" or key in locked or not _fits_a_cell(field):
            continue
        # A reference is named by what it refers to: account_id is "Account".
        named = key.removesuffix("_id") if isinstance(field, fields.UUID) else key
        found[key] = ImportField(key, field.metadata.get("label", humanise(named)),
                                 field.required, field)
    custom = values_schema(definitions, partial=False).fields
    for definition in definitions:
        name = f"{CUSTOM_PREFIX}{definition.name}"
        if name not in locked:
            found[name] = ImportField(name, definition.label,
                                      definition.required and definition.default is None,
                                      custom[definition.name])
    return found


def normalise(text: str) -> str:
    """Case, spaces, underscores and punctuation do not matter: "E-Mail" ≈ "email"."""
    return re.sub(r"[\W_]+", "", text).casefold()


def _aliases(field: ImportField) -> list[str]:
    names = [field.name, field.label]
    if field.custom_name:
        names.append(field.custom_name)
    if field.name.endswith("_id"):
        names.append(field.name.removesuffix("_id"))  # "Account" fills account_id
    names += REFERENCE_ALIASES.get(field.name, ())
    return [normalise(name) for name in names]


def suggest_mapping(columns: list[str],
                    available: dict[str, ImportField]) -> dict[str, str | None]:
    """Column → the field whose name or label it matches (None when none does).

    Standard fields win over custom ones with the same name; a field is suggested for the
    first column that matches it only.
    """
    by_alias: dict[str, str] = {}
    for field in available.values():
        for alias in _aliases(field):
            by_alias.setdefault(alias, field.name)
    suggested: dict[str, str | None] = {}
    taken: set[str] = set()
    for column in columns:
        name = by_alias.get(normalise(column))
        suggested[column] = name if name not in taken else None
        if name:
            taken.add(name)
    return suggested


def resolve_mapping(columns: list[str], available: dict[str, ImportField],
                    requested: dict[str, str | None] | None, entity_name: str,
                    locked: frozenset[str] = frozenset()) -> dict[str, str]:
    """The mapping an import uses: ``requested`` checked against the file, else the
    suggestion. 422 under ``mapping`` for unknown columns, unknown or ``locked`` fields, or
    when nothing maps."""
    if requested is None:
        mapping = {c: f for c, f in suggest_mapping(columns, available).items() if f}
    else:
        mapping = {c: f for c, f in requested.items() if f}
        errors: dict[str, list[str]] = {}
        for column in requested:
            if column not in columns:
                errors[column] = ["The file has no such column."]
        targets: dict[str, str] = {}
        for column, name in mapping.items():
            if name in locked:
                errors.setdefault(column, []).append(f"You may not change {name!r}.")
            elif name not in available:
                errors.setdefault(column, []).append(f"{entity_name} has no field {name!r}.")
            elif name in targets:
                errors.setdefault(column, []).append(
                    f"{name!r} is already filled from column {targets[name]!r}.")
            targets.setdefault(name, column)
        if errors:
            raise ValidationFailed({"mapping": errors})
    if not mapping:
        raise ValidationFailed({"mapping": [
            f"No column of the file matches a field of {entity_name}; send a mapping."]})
    return mapping


class RowMapper:
    """Turns the cells of a record into what the entity's API would receive: its fields by
    API name and its custom values. Empty cells give nothing (the field keeps its default,
    or its value on an update)."""

    def __init__(self, header: list[str], mapping: dict[str, str],
                 available: dict[str, ImportField]) -> None:
        self.width = len(header)
        self.columns = [(header.index(column), available[name])
                        for column, name in mapping.items()]

    def to_input(self, cells: list[str]) -> tuple[dict, dict]:
        """``(values, custom)`` of one record; 422-style errors if its cells do not fit."""
        if len(cells) != self.width:
            raise ValidationFailed({RECORD_ERRORS: [
                f"Expected {self.width} cells as in the header, found {len(cells)}."]})
        values: dict = {}
        custom: dict = {}
        for index, field in self.columns:
            text = cells[index].strip()
            if not text:
                continue
            if field.custom_name:
                custom[field.custom_name] = field.cell_input(text)
            else:
                values[field.name] = field.cell_input(text)
        return values, custom
