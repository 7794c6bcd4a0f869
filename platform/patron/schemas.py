"""The marshmallow conventions of every Patron schema, and the field types records share.

Unknown fields are errors; ``id``, ``owner_id``, ``version``, ``created_at`` and
``updated_at`` are ``dump_only`` (sending them is an "Unknown field." 422), except ``version``
on PATCH, where it is the optimistic-locking token (../shared/API.md). Money is a decimal
string plus an ISO 4217 code, timestamps carry an offset and are kept in UTC.

This module knows nothing of tenants, roles or records: field-level security is applied by
the instance :func:`patron.rbac.field_security.secured` makes (a ``redactor``), so the
schemas of every layer can derive from these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, validate
from werkzeug.datastructures import FileStorage

#: What ``Numeric(18, 4)`` (:data:`patron.db.types.AMOUNT`) holds.
MAX_AMOUNT = Decimal(10) ** 14

CURRENCY = validate.Regexp(r"^[A-Z]{3}$", error="Not an ISO 4217 currency code.")
PHONE = validate.Regexp(r"^\+?[0-9 ()./-]{3,32}$", error="Not a valid phone number.")


class BaseSchema(Schema):
    """Every API schema derives from this one."""

    class Meta:
        unknown = RAISE
        ordered = True


class RecordSchema(BaseSchema):
    """Fields every record carries.

    An instance given a ``redactor`` (see :func:`patron.rbac.field_security.secured`) passes
    each dumped record through it: the fields hidden from the signed-in user are dropped.
    Plain instances (events, the audit log) dump everything.
    """

    id = fields.UUID(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    #: Applied to every dumped record of this instance (field-level security), if set.
    redactor: Callable[[dict], dict] | None = None

    @post_dump
    def _redact(self, data: dict, **kwargs) -> dict:
        return self.redactor(data) if self.redactor else data


class OwnedRecordSchema(RecordSchema):
    """A record with an owner (ownership changes through a dedicated action, not PATCH)."""

    owner_id = fields.UUID(dump_only=True)


def patch_schema(schema: type[Schema]) -> type[Schema]:
    """The PATCH variant of ``schema``: every field optional, plus ``version`` as a lock."""
    return type(
        schema.__name__.removesuffix("Schema") + "PatchSchema",
        (schema,),
        {"version": fields.Integer(metadata={"description":
                                   "Expected current version; stale gets 409."})},
    )


def page_schema(item_schema: Schema | type[Schema]) -> type[Schema]:
    """The ``{"items", "next_cursor", "total"}`` envelope of a collection."""
    name = (item_schema if isinstance(item_schema, type) else type(item_schema)).__name__
    return type(
        name.removesuffix("Schema") + "PageSchema",
        (Schema,),
        {
            # One nested dump of the whole page (not one per item), so a schema can read
            # what its items need in one query (a pre_dump with pass_collection=True).
            "items": fields.Nested(item_schema, many=True),
            "next_cursor": fields.String(allow_none=True),
            "total": fields.Integer(),
        },
    )


class Amount(fields.Decimal):
    """A non-negative amount with at most four decimals, as a decimal string.

    Always shown with the four places the database keeps (``"19.9900"``), so a record reads
    the same straight after a write as when loaded again.
    """

    PLACES = Decimal("0.0001")

    def __init__(self, **kwargs) -> None:
        super().__init__(as_string=True, validate=self._check, metadata={
            "type": "string", "format": "decimal", "example": "19.99",
            "description": f"At least 0, below {MAX_AMOUNT:,}, at most four decimals"}, **kwargs)

    @staticmethod
    def _check(value: Decimal) -> None:
        if not 0 <= value < MAX_AMOUNT:
            raise ValidationError(f"Must be at least 0 and below {MAX_AMOUNT:,}.")
        if value.as_tuple().exponent < -4:
            raise ValidationError("Use at most four decimal places.")

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        quantized = None if value is None else Decimal(value).quantize(self.PLACES)
        return super()._serialize(quantized, attr, obj, **kwargs)


class UTCDateTime(fields.AwareDateTime):
    """A timestamp with an offset, kept in UTC (as the API answers every timestamp)."""

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)


class FileField(fields.Field):
    """An uploaded file (a multipart part with a file name)."""

    def _deserialize(self, value, attr, data, **kwargs) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise ValidationError("Not a file.")
        return value


def custom_values() -> fields.Dict:
    """The record's custom-field values (validated against the entity's definitions)."""
    return fields.Dict(keys=fields.String(), metadata={"description": "Custom fields"})


def text(maximum: int, **kwargs) -> fields.String:
    """An optional text of at most ``maximum`` characters."""
    return fields.String(allow_none=True, validate=validate.Length(max=maximum), **kwargs)
