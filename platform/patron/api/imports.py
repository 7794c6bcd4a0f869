"""``/imports`` (upload a CSV, follow its import) and ``/exports/<resource>`` (CSV download)."""

from __future__ import annotations

import uuid

from flask import Response, abort, stream_with_context, url_for
from flask.views import MethodView
from flask_login import current_user

from patron.api.uploads import UploadBlueprint
from patron.imports.exports import Export
from patron.imports.models import ImportJob
from patron.imports.schemas import (
    IMPORT_LIST,
    ExportArgsSchema,
    ImportJobSchema,
    ImportUploadSchema,
    SuggestArgsSchema,
    SuggestionSchema,
)
from patron.imports.target import IMPORTS, find_target
from patron.imports.uploads import (
    IMPORT_SETTING,
    mapping_suggestion,
    max_import_bytes,
    start_import,
)
from patron.rbac.access import get_scoped_or_404, require, require_user
from patron.records.listing import list_args_schema, list_records
from patron.schemas import page_schema

blp = UploadBlueprint("imports", __name__, description="CSV import and export",
                      max_bytes=max_import_bytes, setting=IMPORT_SETTING)

@blp.route("/imports")
class Imports(MethodView):
    """The imports you can see, and new ones."""

    @blp.arguments(list_args_schema(IMPORT_LIST), location="query")
    @blp.response(200, page_schema(ImportJobSchema))
    def get(self, args: dict) -> dict:
        """List imports (yours, or as far as your data scope reaches)"""
        require(f"{IMPORTS}.read")
        return list_records(IMPORT_LIST, args, current_user)

    @blp.arguments(ImportUploadSchema, location="multipart")
    @blp.response(202, ImportJobSchema)
    def post(self, data: dict):
        """Upload a CSV file to import (or dry-run); the worker imports it"""
        job = start_import(data["file"], data["resource"], data.get("mapping"),
                           data["dry_run"], data["on_duplicate"])
        return job, 202, {"Location": url_for(f"{blp.name}.import_item", record_id=job.id)}


@blp.route("/imports/suggest-mapping")
@blp.arguments(SuggestArgsSchema, location="query")
@blp.response(200, SuggestionSchema)
def suggest_mapping(args: dict) -> dict:
    """Suggest which field each CSV column fills, from the header's names"""
    return mapping_suggestion(args["resource"], args["columns"])


@blp.route("/imports/<uuid:record_id>", endpoint="import_item")
@blp.response(200, ImportJobSchema)
def read_import(record_id: uuid.UUID) -> ImportJob:
    """Read an import: status, progress, counts and row errors"""
    require(f"{IMPORTS}.read")
    return get_scoped_or_404(ImportJob, record_id, IMPORTS)


@blp.route("/exports/<resource>")
@blp.arguments(ExportArgsSchema, location="query")
@blp.response(200, {"type": "string"}, content_type="text/csv")
def export(args: dict, resource: str) -> Response:
    """Export records as CSV, with the list's filters and sort (streamed)"""
    require_user()  # signed in before the resource is looked up in the tenant's modules
    target = find_target(resource)
    if target is None:
        abort(404)
    require(f"{target.spec.permission}.read")
    chunks = Export(target, args).chunks()
    return Response(stream_with_context(chunks), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{target.spec.name}.csv"'})
