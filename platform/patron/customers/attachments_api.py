"""``/attachments``: upload (multipart), list, read, download and delete files of records."""

from __future__ import annotations

import uuid

from flask import request, send_file, url_for
from flask.views import MethodView
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from patron.api import PatronBlueprint
from patron.api.blueprint import PatronParser
from patron.api.resources import ListArgsSchema, page_schema
from patron.customers.attachments import (
    PERMISSION,
    attach_file,
    content_path,
    delete_attachment,
    list_attachments,
    max_upload_bytes,
    readable_attachment,
    refuse_too_large,
)
from patron.customers.schemas import AttachmentSchema, UploadSchema
from patron.rbac.access import require

#: Room for the multipart framing and form fields around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
#: A stored file is always a download: a browser never renders it on Patron's origin.
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff",
                    "Content-Security-Policy": "default-src 'none'; sandbox"}


class MultipartParser(PatronParser):
    """Adds the ``multipart`` location: the form fields and the files of one body together."""

    __location_map__ = {**PatronParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema) -> MultiDictProxy:
        """The form fields and files of ``req`` as one multidict."""
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema,
                              known_multi_fields=tuple(self.KNOWN_MULTI_FIELDS))


class UploadBlueprint(PatronBlueprint):
    """A blueprint whose routes may take multipart bodies (documented as such)."""

    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **PatronBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


blp = UploadBlueprint("attachments", __name__, description="Files attached to records")


@blp.before_request
def limit_upload_size() -> None:
    """Refuse an oversized body before reading it (413), and never read past the limit."""
    if request.method != "POST":
        return
    limit = max_upload_bytes() + MULTIPART_OVERHEAD_BYTES
    if request.content_length is not None and request.content_length > limit:
        refuse_too_large()
    request.max_content_length = limit


@blp.route("/attachments")
class Attachments(MethodView):
    """The attachments of records the caller can read."""

    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, page_schema(AttachmentSchema))
    def get(self, args: dict) -> dict:
        """List the files of records you can read (filter by parent_entity and parent_id)"""
        require(f"{PERMISSION}.read")
        return list_attachments(args)

    @blp.arguments(UploadSchema, location="multipart")
    @blp.response(201, AttachmentSchema)
    def post(self, data: dict):
        """Upload a file to a record you can read (size and type limits apply)"""
        require(f"{PERMISSION}.create")
        attachment = attach_file(data["parent_entity"], data["parent_id"], data["file"])
        location = url_for(f"{blp.name}.attachment_item", record_id=attachment.id)
        return attachment, 201, {"Location": location}


@blp.route("/attachments/<uuid:record_id>", endpoint="attachment_item")
class AttachmentItem(MethodView):
    """One attachment, reached through its parent record."""

    @blp.response(200, AttachmentSchema)
    def get(self, record_id: uuid.UUID):
        """Read an attachment's details"""
        require(f"{PERMISSION}.read")
        return readable_attachment(record_id)

    @blp.response(204)
    def delete(self, record_id: uuid.UUID) -> None:
        """Delete an attachment and its file"""
        require(f"{PERMISSION}.delete")
        delete_attachment(readable_attachment(record_id))


@blp.route("/attachments/<uuid:record_id>/content")
@blp.response(200, {"format": "binary", "type": "string"}, content_type="application/octet-stream")
def download(record_id: uuid.UUID):
    """Download the file (only readers of its parent record can)"""
    require(f"{PERMISSION}.read")
    attachment = readable_attachment(record_id)
    response = send_file(content_path(attachment), mimetype=attachment.content_type,
                         as_attachment=True, download_name=attachment.filename)
    response.headers.update(DOWNLOAD_HEADERS)
    return response
