"""API schemas of imports and exports."""

from __future__ import annotations

import json

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from patron.imports.models import ON_DUPLICATE, SKIP, STATUSES, ImportJob
from patron.imports.target import IMPORTS
from patron.records.listing import ListArgsSchema
from patron.records.spec import ResourceSpec
from patron.schemas import BaseSchema, FileField


class JsonObject(fields.Dict):
    """A JSON object sent as the text of a multipart form field."""

    def _deserialize(self, value, attr, data, **kwargs) -> dict:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as error:
                raise ValidationError("Not valid JSON.") from error
        return super()._deserialize(value, attr, data, **kwargs)


class ImportUploadSchema(BaseSchema):
    """``POST /imports``: a multipart body."""

    file = FileField(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "The CSV file: UTF-8, comma-separated, a header row first"})
    resource = fields.String(required=True, metadata={
        "description": "The entity to import into, e.g. account or contact"})
    mapping = JsonObject(keys=fields.String(), values=fields.String(allow_none=True), metadata={
        "description": "JSON object: CSV column → field (custom.<name> for custom fields); "
                       "default: suggested from the header"})
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "Check every row and report, but change nothing"})
    on_duplicate = fields.String(load_default=SKIP, validate=validate.OneOf(ON_DUPLICATE),
                                 metadata={"description": "What a row that matches a record "
                                                          "already there does"})


class ImportErrorSchema(Schema):
    """A bad row: the file's line (header = 1), the field and its column, what is wrong."""

    line = fields.Integer()
    field = fields.String(allow_none=True)
    column = fields.String(allow_none=True)
    message = fields.String()


class ImportCountsSchema(Schema):
    """Rows that created, updated or skipped a record (or would, in a dry run)."""

    created = fields.Integer()
    updated = fields.Integer()
    skipped = fields.Integer()


class ImportJobSchema(BaseSchema):
    """An import and where it stands."""

    id = fields.UUID(dump_only=True)
    owner_id = fields.UUID(dump_only=True, metadata={"description": "Who imported the file"})
    resource = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(STATUSES)})
    dry_run = fields.Boolean(dump_only=True)
    on_duplicate = fields.String(dump_only=True, metadata={"enum": list(ON_DUPLICATE)})
    filename = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    mapping = fields.Dict(keys=fields.String(), values=fields.String(), dump_only=True)
    total = fields.Integer(dump_only=True, allow_none=True,
                           metadata={"description": "Rows in the file, once counted"})
    processed = fields.Integer(dump_only=True,
                               metadata={"description": "Rows the current step has handled"})
    counts = fields.Nested(ImportCountsSchema, dump_only=True)
    errors = fields.List(fields.Nested(ImportErrorSchema), dump_only=True,
                         metadata={"description": "The first 1000 row errors, by line"})
    error_count = fields.Integer(dump_only=True)
    detail = fields.String(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    started_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    finished_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class SuggestArgsSchema(BaseSchema):
    """``GET /imports/suggest-mapping``."""

    resource = fields.String(required=True)
    columns = fields.List(fields.String(), required=True, metadata={
        "description": "The CSV header's column names (repeat the parameter)"})


class ImportFieldSchema(Schema):
    """A field a column can fill."""

    name = fields.String()
    label = fields.String()
    required = fields.Boolean()


class SuggestionSchema(Schema):
    """The suggested mapping and every field a column can fill."""

    resource = fields.String()
    mapping = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    fields_ = fields.List(fields.Nested(ImportFieldSchema), data_key="fields",
                          attribute="fields")


class ExportArgsSchema(ListArgsSchema):
    """The list's filters and sort (no paging: the export holds every matching record)."""

    class Meta:
        unknown = INCLUDE
        exclude = ("limit", "cursor", "count")


#: The imports list, scoped like any owned resource (the owner is who imported).
IMPORT_LIST = ResourceSpec(name="imports", model=ImportJob, schema=ImportJobSchema,
                           permission=IMPORTS, event="import",
                           filterable=("status", "resource", "dry_run", "owner_id",
                                       "created_at"),
                           sortable=("created_at",), writable=False)
