"""Defining custom fields and validating, storing and indexing their values."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import delete, exists, select, tuple_, update

from patron.config_cache import shared_cached, versioned_config
from patron.context_cache import forget_on_change
from patron.customfields.fields import values_schema
from patron.customfields.models import (
    TYPES,
    CustomFieldDefinition,
    CustomFieldUniqueValue,
    FieldDefinition,
)
from patron.db import db, require_tenant_id
from patron.db.bulk import insert_rows
from patron.db.json_ops import json_has_key, json_without_key
from patron.entities import entities, entity
from patron.errors import Conflict, ValidationFailed

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


#: :mod:`patron.context_cache` namespace of the definitions read in this request or job (a
#: list page, an import of many rows and every record's validation would otherwise query them
#: again and again); dropped whenever a definition changes.
CACHE = "custom_fields"
forget_on_change(CustomFieldDefinition, CACHE)
versioned_config(CustomFieldDefinition)


def definition_rows(entity_name: str) -> list[CustomFieldDefinition]:
    """The current tenant's custom-field definitions of ``entity_name`` as model rows, in
    display order, read now (for changing them; reads use :func:`definitions_of`)."""
    return list(db.session.execute(
        select(CustomFieldDefinition)
        .where(CustomFieldDefinition.entity == entity_name)
        .order_by(CustomFieldDefinition.position, CustomFieldDefinition.name)
    ).scalars())


def definitions_of(entity_name: str) -> tuple[FieldDefinition, ...]:
    """The current tenant's custom fields of ``entity_name``, in display order.

    Shared by the requests of this process until the tenant's configuration changes
    (:mod:`patron.config_cache`), hence read-only copies.
    """
    require_tenant_id()
    return shared_cached(CACHE, entity_name, lambda: tuple(
        FieldDefinition.of(row) for row in definition_rows(entity_name)))


def validate_definition(data: dict, existing: CustomFieldDefinition | None = None) -> None:
    """Refuse unknown entities and types, bad names, options on the wrong types, bad defaults."""
    errors: dict[str, list[str]] = {}
    entity_name = data.get("entity", existing.entity if existing else None)
    kind = data.get("type", existing.type if existing else None)
    if existing is None:
        if entity_name not in entities() or not entity(entity_name).has_custom_fields:
            errors["entity"] = [f"No entity {entity_name!r} takes custom fields."]
        if not NAME.match(data.get("name", "")):
            errors["name"] = ["Use a lower-case letter, then letters, digits or _ (max 64)."]
        if kind not in TYPES:
            errors["type"] = [f"Must be one of: {', '.join(TYPES)}."]
    for key in ("entity", "name", "type"):
        if existing is not None and key in data and data[key] != getattr(existing, key):
            errors[key] = ["Cannot be changed; create a new field instead."]
    options = data.get("options", existing.options if existing else [])
    if kind in ("select", "multi_select") and not options:
        errors["options"] = ["A select field needs at least one option."]
    if kind not in ("select", "multi_select") and options:
        errors["options"] = ["Only select fields take options."]
    if not errors and data.get("default") is not None:
        probe = CustomFieldDefinition(name="default", label="", type=kind, options=options)
        try:
            values_schema([probe], partial=True).load({"default": data["default"]})
        except ValidationError as error:
            errors["default"] = error.messages["default"]
    if errors:
        raise ValidationFailed(errors)


def create_definition(data: dict) -> CustomFieldDefinition:
    """Add a custom field to an entity of the current tenant."""
    validate_definition(data)
    taken = db.session.execute(select(exists().where(
        CustomFieldDefinition.entity == data["entity"],
        CustomFieldDefinition.name == data["name"],
    ))).scalar()
    if taken:
        raise ValidationFailed({"name": ["This entity already has a field with this name."]})
    definition = CustomFieldDefinition(**data)
    db.session.add(definition)
    db.session.flush()
    return definition


def update_definition(definition: CustomFieldDefinition, data: dict) -> None:
    """Change label, options, required, default or position (values are kept as they are)."""
    validate_definition(data, definition)
    if data.get("unique") and not definition.unique:
        raise ValidationFailed({"unique": ["Uniqueness can only be chosen when creating."]})
    for key, value in data.items():
        setattr(definition, key, value)
    db.session.flush()


def records_holding(definition: CustomFieldDefinition) -> int:
    """How many records have a value in ``definition`` (what deleting it removes)."""
    model = entity(definition.entity).model
    return db.session.execute(
        select(db.func.count()).select_from(model)
        .where(json_has_key(model.custom, definition.name))
    ).scalar_one()


def delete_definition(definition: CustomFieldDefinition, confirmed: bool) -> int:
    """Remove a field and every value of it; without ``confirmed``, 409 saying what would go.

    Returns how many records lost a value.
    """
    model = entity(definition.entity).model
    count = records_holding(definition)
    if not confirmed:
        raise Conflict(
            f"deleting {definition.label!r} removes its value from {count} record(s); "
            "repeat with ?confirm=true to go ahead"
        )
    db.session.execute(
        update(model)
        .where(json_has_key(model.custom, definition.name))
        .values(custom=json_without_key(model.custom, definition.name),
                version=model.version + 1),
        execution_options={"synchronize_session": False},
    )
    db.session.delete(definition)
    db.session.flush()
    return count


class CustomValues:
    """The custom-field rules of one entity, built once from its definitions.

    :func:`apply_custom_values_many` applies it to a batch of records; an import's validation
    pass builds it once and checks many rows against it without a query per row.
    """

    def __init__(self, definitions: Sequence[FieldDefinition], *, creating: bool) -> None:
        self.definitions = definitions
        self.creating = creating
        self.schema = values_schema(definitions, partial=not creating)

    def merge(self, current: dict | None, incoming: dict | None) -> dict:
        """The custom values of a record holding ``current`` once ``incoming`` is applied.

        Raises :class:`ValidationFailed` with errors under ``custom`` (docs/API.md). On
        create, defaults fill what is missing; on update, ``null`` removes a value.
        """
        if not self.definitions and not incoming:
            # The common case of a batch write to an entity without custom fields: nothing
            # to load or check (a schema load per record showed in import profiles).
            return {k: v for k, v in (current or {}).items() if v is not None}
        incoming = dict(incoming or {})
        if self.creating:
            for definition in self.definitions:
                if definition.name not in incoming and definition.default is not None:
                    incoming[definition.name] = definition.default
        try:
            loaded = self.schema.load(incoming)
        except ValidationError as error:
            raise ValidationFailed({"custom": error.messages}) from error
        merged = {**(current or {}), **self.schema.dump(loaded)}
        merged = {k: v for k, v in merged.items() if v is not None}
        missing = [d.name for d in self.definitions if d.required and d.name not in merged]
        if missing:
            raise ValidationFailed({"custom": {name: ["This field is required."]
                                               for name in missing}})
        return merged


def apply_custom_values_many(entity_name: str, pairs: Sequence[tuple[Any, dict | None]],
                             *, creating: bool) -> None:
    """Validate each record's ``incoming`` custom values and merge them into its ``custom``.

    See :meth:`CustomValues.merge` (the rules are built once per tenant configuration);
    unique values are then claimed for the records, with one query for the batch.
    """
    if not pairs:
        return
    definitions = definitions_of(entity_name)
    rules = shared_cached(CACHE, (entity_name, creating),
                          lambda: CustomValues(definitions, creating=creating))
    for record, incoming in pairs:
        record.custom = rules.merge(record.custom, incoming)
    unique = [definition for definition in definitions if definition.unique]
    if unique:
        _claim_unique_values([record for record, _ in pairs], unique)


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True).lower()[:500]


def _claim_unique_values(records: Sequence[Any], unique: Sequence[FieldDefinition]) -> None:
    """Keep :class:`CustomFieldUniqueValue` in step for ``records`` (ids assigned): a value
    another record holds, or two of the batch share, is a 422 on its field."""
    record_ids = [record.id for record in records]
    definition_ids = [definition.id for definition in unique]
    db.session.execute(delete(CustomFieldUniqueValue).where(
        CustomFieldUniqueValue.definition_id.in_(definition_ids),
        CustomFieldUniqueValue.record_id.in_(record_ids)))
    claims = {}
    for record in records:
        for definition in unique:
            value = (record.custom or {}).get(definition.name)
            if value is None:
                continue
            key = (definition.id, _value_key(value))
            if key in claims:
                _refuse_taken(definition)
            claims[key] = record.id
    if not claims:
        return
    taken = db.session.execute(select(CustomFieldUniqueValue.definition_id).where(
        tuple_(CustomFieldUniqueValue.definition_id, CustomFieldUniqueValue.value_key)
        .in_(list(claims))).limit(1)).scalar_one_or_none()
    if taken is not None:
        _refuse_taken(next(d for d in unique if d.id == taken))
    insert_rows(CustomFieldUniqueValue, (
        {"definition_id": definition_id, "value_key": key, "record_id": record_id}
        for (definition_id, key), record_id in claims.items()))


def _refuse_taken(definition: FieldDefinition) -> None:
    raise ValidationFailed({"custom": {definition.name: ["This value is already used."]}})


def forget_unique_values(record_id: uuid.UUID) -> None:
    """Drop a deleted record's unique values, so they can be used again."""
    db.session.execute(
        delete(CustomFieldUniqueValue).where(CustomFieldUniqueValue.record_id == record_id)
    )
