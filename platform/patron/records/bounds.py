"""Every writable field of a record schema bounded by the column that stores it, worked out
once per schema from the model: a string no longer than its ``String(n)`` column, an integer
within its column's range, a list of at most :data:`MAX_ITEMS` items.

Without them a client could send what the database refuses (``integer out of range`` as a
500) or what no person would (a contact with 300,000 addresses); schemas that declare their
own bounds keep them, these only add what is missing.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import BigInteger, Integer, SmallInteger, String

#: Most items a list field (addresses, skills, tags) takes.
MAX_ITEMS = 200
#: The values each integer column type holds, most specific first.
INTEGER_RANGES = ((SmallInteger, 2 ** 15), (BigInteger, 2 ** 63), (Integer, 2 ** 31))
#: The schema classes already bounded (a schema may serve several specs).
_BOUNDED: set[type[Schema]] = set()


def _has(field: fields.Field, kind: type, attribute: str) -> bool:
    """Whether ``field`` has a ``kind`` validator that sets ``attribute`` (``max``)."""
    return any(isinstance(v, kind) and getattr(v, attribute) is not None
               for v in field.validators)


def _integer_range(column_type: object) -> validate.Range | None:
    for kind, span in INTEGER_RANGES:
        if isinstance(column_type, kind):
            return validate.Range(min=-span, max=span - 1)
    return None


def bound_by_columns(schema: type[Schema], model: type) -> None:
    """Add the bounds of ``model``'s columns to ``schema``'s writable fields that lack them."""
    if schema in _BOUNDED:
        return
    _BOUNDED.add(schema)
    columns = model.__table__.columns
    for name, field in schema._declared_fields.items():
        if field.dump_only:
            continue
        column = columns.get(field.attribute or name)
        if isinstance(field, fields.List):
            if not _has(field, validate.Length, "max"):
                field.validators.append(validate.Length(max=MAX_ITEMS))
        elif column is None:
            continue
        elif isinstance(field, fields.String) and isinstance(column.type, String):
            if column.type.length and not _has(field, validate.Length, "max"):
                field.validators.append(validate.Length(max=column.type.length))
        elif isinstance(field, fields.Integer) and (bound := _integer_range(column.type)):
            field.validators.append(bound)
