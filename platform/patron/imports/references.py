"""Reference columns of an import, filled the way people write them: an account by its name or
domain, a contact by its e-mail, a product by its SKU or name (the entity's ``match_on`` fields
and its title), a person by e-mail or name, a stage or a queue by its name, or by an id as the
API takes it.

A batch of rows is resolved with one query per referenced entity and key field, among the
records the importing user may read (their data scope), comparing case-insensitively as
duplicate matching does (:mod:`patron.imports.matching`, with its note on SQLite). A value
that names no record, or several, is an error of that row on that field, reported by line
like any other; nothing is guessed.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from marshmallow import fields
from sqlalchemy import func
from sqlalchemy.orm import InstrumentedAttribute

from patron.db import db
from patron.entities import entities, lookups
from patron.imports.mapping import ImportField
from patron.records.targets import reference_target, target_source


@dataclass(frozen=True)
class ReferenceColumn:
    """A field that refers to records of ``target`` (an entity, a lookup, people, roles or
    departments), the fields of those records a cell may name one by, and what one is
    called in messages ("account")."""

    field: str
    target: str
    keys: tuple[str, ...]
    noun: str


def _keys(target: str) -> tuple[tuple[str, ...], str]:
    """The key fields of ``target``'s records and what one is called."""
    if target == "user":
        return ("email", "name"), "user"
    if target in ("role", "department"):
        return ("name",), target
    if (found := lookups().get(target)) is not None:
        return (found[1].title,), str(found[1].label).lower()
    entity = entities().get(target)
    if entity is None:
        return (), target
    keys = tuple(dict.fromkeys(
        name for name in (*entity.match_on, entity.title)
        if isinstance(getattr(entity.model, name, None), InstrumentedAttribute)))
    return keys, str(entity.label).lower()


def reference_columns(available: Iterable[ImportField], entity: str
                      ) -> list[ReferenceColumn]:
    """The fields among ``available`` (of ``entity``'s records) that refer to other records
    (:func:`patron.records.targets.reference_target`), with their key fields."""
    columns = []
    for field in available:
        if not isinstance(field.field, fields.UUID) or field.custom_name:
            continue
        target = reference_target(field.name, field.field, entity)
        if target is None:
            continue
        keys, noun = _keys(target)
        if keys:
            columns.append(ReferenceColumn(field.name, target, keys, noun))
    return columns


def _is_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def resolve_references(columns: Sequence[ReferenceColumn], rows: Sequence[dict]
                       ) -> dict[int, dict[str, list[str]]]:
    """Replace, in each of ``rows`` (a batch's values by field), a reference given by a
    natural key with the id of the one record it names; returns the errors by row index of
    the values that name none or several."""
    errors: dict[int, dict[str, list[str]]] = {}
    for column in columns:
        given = {index: str(values[column.field]).strip() for index, values in enumerate(rows)
                 if values.get(column.field) and not _is_id(str(values[column.field]))}
        if not given:
            continue
        found = _records_named(column, {value.lower() for value in given.values()})
        for index, value in given.items():
            ids = found.get(value.lower(), set())
            if len(ids) == 1:
                rows[index][column.field] = str(next(iter(ids)))
                continue
            message = (f"No {column.noun} is called or identified by “{value}”." if not ids
                       else f"{len(ids)} {column.noun} records match “{value}”; give the id "
                            "or a value only one of them has.")
            errors.setdefault(index, {})[column.field] = [message]
    return errors


def _records_named(column: ReferenceColumn, folded: set[str]) -> dict[str, set[uuid.UUID]]:
    """Folded key value → ids of the records the user may read that have it in one of the
    column's key fields."""
    source = target_source(column.target)
    if source is None:
        return {}
    model, _, readable = source
    found: dict[str, set[uuid.UUID]] = defaultdict(set)
    for key in column.keys:
        attribute = getattr(model, key)
        rows = db.session.execute(
            readable.with_only_columns(model.id, attribute, maintain_column_froms=True)
            .where(func.lower(attribute).in_(folded)))
        for record_id, value in rows:
            found[str(value).strip().lower()].add(record_id)
    return found
