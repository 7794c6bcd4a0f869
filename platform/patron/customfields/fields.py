"""Marshmallow fields built from custom-field definitions.

A definition's field *loads* what a client sends (validating type, options, required) and
*dumps* the loaded value to its JSON form for the ``custom`` column; the same schema does both,
so what is stored is always what validation accepted.
"""

from __future__ import annotations

from collections.abc import Sequence

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy import exists, select

from patron.auth.models import User
from patron.customfields.models import CustomFieldDefinition, FieldDefinition
from patron.db import db
from patron.schemas import PHONE

#: A definition as stored, or its shared read-only copy: fields are built from either.
Definition = FieldDefinition | CustomFieldDefinition


def _user_exists(value) -> None:
    if not db.session.execute(select(exists().where(User.id == value))).scalar():
        raise ValidationError("No such user.")


def _options(definition: Definition) -> validate.OneOf:
    return validate.OneOf(definition.options or [])


def field_for(definition: Definition, *, partial: bool) -> fields.Field:
    """The marshmallow field for one definition (``partial``: PATCH, so nothing is required)."""
    common = {"required": definition.required and not partial,
              "allow_none": not definition.required,
              "metadata": {"description": definition.label}}
    kind = definition.type
    if kind in ("text", "long_text"):
        return fields.String(validate=validate.Length(max=255 if kind == "text" else 20000),
                             **common)
    if kind == "number":
        return fields.Integer(strict=True, **common)
    if kind == "decimal":
        return fields.Decimal(as_string=True, **common)
    if kind == "date":
        return fields.Date(**common)
    if kind == "datetime":
        return fields.AwareDateTime(default_timezone=None, **common)
    if kind == "boolean":
        return fields.Boolean(**common)
    if kind == "select":
        return fields.String(validate=_options(definition), **common)
    if kind == "multi_select":
        return fields.List(fields.String(validate=_options(definition)), **common)
    if kind == "user":
        return fields.UUID(validate=_user_exists, **common)
    if kind == "url":
        return fields.Url(**common)
    if kind == "email":
        return fields.Email(**common)
    if kind == "phone":
        return fields.String(validate=PHONE, **common)
    raise ValueError(f"unknown custom field type {kind!r}")


def values_schema(definitions: Sequence[FieldDefinition], *, partial: bool) -> Schema:
    """A schema for the ``custom`` object of one entity: unknown names are errors."""
    schema_class = Schema.from_dict(
        {d.name: field_for(d, partial=partial) for d in definitions}, name="CustomValues"
    )
    return schema_class(unknown=RAISE)
