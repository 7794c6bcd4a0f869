"""The marshmallow conventions of every Patron schema, and the field types records share.

Unknown fields are errors; ``id``, ``owner_id``, ``version``, ``created_at`` and
``updated_at`` are ``dump_only`` (sending them is an "Unknown field." 422), except ``version``
on PATCH, where it is the optimistic-locking token (docs/API.md). Money is a decimal
string plus an ISO 4217 code, timestamps carry an offset and are kept in UTC.

This module knows nothing of tenants, roles or records: field-level security is applied by
the instance :func:`patron.rbac.field_security.secured` makes (a ``redactor``), so the
schemas of every layer can derive from these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, missing, post_dump, validate
from werkzeug.datastructures import FileStorage

#: What ``Numeric(18, 4)`` (:data:`patron.db.types.AMOUNT`) holds.
MAX_AMOUNT = Decimal(10) ** 14
#: An amount as the OpenAPI document states it: at least 0, below MAX_AMOUNT, four places.
AMOUNT_PATTERN = r"^\d{1,14}(\.\d{1,4})?$"

#: Marshmallow's messages said once, for people (the API and the pages give the same words;
#: pages show them in the reader's language, :mod:`patron.web.messages`).
PLAIN_MESSAGES: dict[type[fields.Field], dict[str, str]] = {
    fields.Field: {"required": "This field is required.",
                   "null": "This field cannot be empty."},
    fields.Integer: {"invalid": "Enter a whole number."},
    fields.Number: {"invalid": "Enter a number."},
    fields.Date: {"invalid": "Enter a date (YYYY-MM-DD)."},
    fields.DateTime: {"invalid": "Enter a date and time."},
    fields.AwareDateTime: {"invalid": "Enter a date and time."},
    fields.Email: {"invalid": "Enter an e-mail address, such as name@example.com."},
    fields.Url: {"invalid": "Enter a web address, such as https://example.com."},
    fields.Boolean: {"invalid": "Choose yes or no."},
}
for _field_class, _messages in PLAIN_MESSAGES.items():
    _field_class.default_error_messages = {**_field_class.default_error_messages, **_messages}

CURRENCY = validate.Regexp(r"^[A-Z]{3}$", error="Not an ISO 4217 currency code.")
PHONE = validate.Regexp(r"^\+?[0-9 ()./-]{3,32}$", error="Not a valid phone number.")


def _text(value: Any) -> Any:
    if value is None or type(value) is str:
        return value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _integer(value: Any) -> Any:
    return value if value is None or type(value) is int else int(value)


def _formatted(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return None if value is None else function(value)

    return convert


def _converter(field: fields.Field) -> Callable[[Any], Any] | None:
    """A plain function doing exactly what ``field._serialize`` does, for the field types
    whose output depends on the value alone (text, ids, integers, ISO dates and times);
    ``None`` for the others, which keep their own ``_serialize``."""
    serialize = type(field)._serialize
    if serialize in (fields.String._serialize, fields.UUID._serialize):
        return _text
    if (isinstance(field, fields.Integer) and serialize is fields.Number._serialize
            and type(field)._format_num is fields.Number._format_num and not field.as_string):
        return _integer
    if isinstance(field, fields.DateTime | fields.Date) and serialize is (
            fields.DateTime._serialize):
        function = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        return _formatted(function) if function is not None else None
    return None


class DumpPlan:
    """How one schema instance dumps an object, worked out once (issue 11, "fixed
    per-request cost"): marshmallow looks each field's value up through a chain of accessor
    calls and dispatches its formatting per call, which was about a quarter of a list
    request. The plan reads plain attributes directly and formats the common field types
    with :func:`_converter`; everything else (dotted attributes, defaults, nested schemas,
    mappings as objects) goes through the field's own ``serialize``, so the output is
    marshmallow's own."""

    def __init__(self, schema: Schema) -> None:
        self.steps = []
        for attr_name, field in schema.dump_fields.items():
            key = field.data_key if field.data_key is not None else attr_name
            source = attr_name if field.attribute is None else field.attribute
            direct = ("." not in source and field._CHECK_ATTRIBUTE
                      and field.dump_default is missing)
            self.steps.append((key, attr_name, source if direct else None, field,
                               _converter(field) if direct else None))

    def dump(self, schema: Schema, obj: Any) -> dict:
        """``obj`` as ``schema`` serialises it (before its post-dump hooks)."""
        data = schema.dict_class()
        keyed = hasattr(obj, "__getitem__")  # mappings: marshmallow's lookup rules apply
        accessor = schema.get_attribute
        for key, attr_name, source, field, convert in self.steps:
            if source is None or keyed:
                value = field.serialize(attr_name, obj, accessor=accessor)
            else:
                value = getattr(obj, source, missing)
                if value is missing:
                    continue
                value = convert(value) if convert is not None else field._serialize(
                    value, attr_name, obj)
            if value is not missing:
                data[key] = value
        return data


class BaseSchema(Schema):
    """Every API schema derives from this one."""

    class Meta:
        unknown = RAISE
        ordered = True

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        """marshmallow's serialisation through this instance's :class:`DumpPlan`, unless
        the schema reads attributes its own way (``get_attribute`` overridden)."""
        if type(self).get_attribute is not Schema.get_attribute:
            return super()._serialize(obj, many=many)
        plan = self.__dict__.get("_dump_plan")
        if plan is None:
            plan = self.__dict__["_dump_plan"] = DumpPlan(self)
        if many and obj is not None:
            return [plan.dump(self, item) for item in obj]
        return plan.dump(self, obj)


class RecordSchema(BaseSchema):
    """Fields every record carries.

    An instance given a ``redactor`` (see :func:`patron.rbac.field_security.secured`) passes
    the dumped records through it, a whole page at once: the fields hidden from the signed-in
    user are dropped. Plain instances (events, the audit log) dump everything.
    """

    id = fields.UUID(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    #: Applied to the records this instance dumps (field-level security), if set.
    redactor: Callable[[list[dict]], list[dict]] | None = None

    @post_dump(pass_collection=True)
    def _redact(self, data: dict | list[dict], many: bool, **kwargs) -> dict | list[dict]:
        if self.redactor is None:
            return data
        return self.redactor(data) if many else self.redactor([data])[0]


class OwnedRecordSchema(RecordSchema):
    """A record with an owner (ownership changes through a dedicated action, not PATCH)."""

    owner_id = fields.UUID(dump_only=True)


def patch_schema(schema: type[Schema]) -> type[Schema]:
    """The PATCH variant of ``schema``: every field optional, plus ``version`` as a lock."""
    return type(
        schema.__name__.removesuffix("Schema") + "PatchSchema",
        (schema,),
        {"version": fields.Integer(validate=validate.Range(min=0, max=2 ** 31 - 1),
                                   metadata={"description":
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
        bounds = f"At least 0, below {MAX_AMOUNT:,}, at most four decimals"
        given = kwargs.pop("metadata", {})
        described = f"{given['description']}. {bounds}" if "description" in given else bounds
        super().__init__(as_string=True, validate=self._check, metadata={
            "type": "string", "format": "decimal", "example": "19.99",
            "pattern": AMOUNT_PATTERN, **given, "description": described}, **kwargs)

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
