"""``/attachments``: upload (multipart), list, read, download and delete files of records."""

from __future__ import annotations

import uuid

from flask import send_file, url_for
from flask.views import MethodView
from flask_login import current_user

from patron.api.uploads import UploadBlueprint
from patron.customers.attachments import (
    ATTACHMENTS,
    PERMISSION,
    UPLOAD_SETTING,
    attach_file,
    content_path,
    delete_attachment,
    list_attachments,
    max_upload_bytes,
    readable_attachment,
)
from patron.customers.schemas import AttachmentSchema, UploadSchema
from patron.rbac.access import require
from patron.records.listing import list_args_schema
from patron.schemas import page_schema

#: A stored file is always a download: a browser never renders it on Patron's origin.
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff",
                    "Content-Security-Policy": "default-src 'none'; sandbox"}

blp = UploadBlueprint("attachments", __name__, description="Files attached to records",
                      max_bytes=max_upload_bytes, setting=UPLOAD_SETTING)


@blp.route("/attachments")
class Attachments(MethodView):
    """The attachments of records the caller can read."""

    @blp.arguments(list_args_schema(ATTACHMENTS), location="query")
    @blp.response(200, page_schema(AttachmentSchema))
    def get(self, args: dict) -> dict:
        """List the files of records you can read (filter by parent_entity and parent_id)"""
        require(f"{PERMISSION}.read")
        return list_attachments(args, current_user)

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
