"""The files of a record's page: the list with download links, the upload form and deletes.

Uploads and deletes go through the attachments service (:mod:`patron.customers.attachments`):
the size and type limits, the file store and the events are the API's. Downloads are the API's
``/attachments/<id>/content``, which serves a file only to readers of its record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from patron.customers.attachments import (
    PERMISSION,
    attach_file,
    delete_attachment,
    max_upload_bytes,
    readable_attachment,
)
from patron.customers.models import Attachment
from patron.customers.overview import files
from patron.db import db
from patron.rbac.access import can
from patron.web.writes import Outcome, attempt

UNITS = ("B", "KB", "MB", "GB")


def file_size(size: int) -> str:
    """A byte count for people: ``512 B``, ``12 KB``, ``3.4 MB``."""
    value, step = float(size), 0
    while value >= 1024 and step < len(UNITS) - 1:
        value, step = value / 1024, step + 1
    return f"{format_decimal(round(value, 1 if step >= 2 else 0))} {UNITS[step]}"


@dataclass
class Files:
    """What the files section shows, and what the user may do there.

    ``errors`` are the messages of a refused upload, shown above the form.
    """

    items: list
    more: bool
    can_upload: bool
    can_delete: bool
    limit: str
    allowed: str
    errors: list[str] = field(default_factory=list)

    def size_of(self, attachment: Attachment) -> str:
        """The attachment's size for people."""
        return file_size(attachment.size)


def files_section(page: dict | None, *, with_form: bool = True,
                  errors: list[str] | None = None) -> Files | None:
    """The files section from a first ``page`` of a record's attachments (``None``: the user
    may not read attachments)."""
    if page is None:
        return None
    return Files(
        items=page["items"], more=page["next_cursor"] is not None,
        can_upload=with_form and can(f"{PERMISSION}.create"),
        can_delete=with_form and can(f"{PERMISSION}.delete"),
        limit=file_size(max_upload_bytes()),
        allowed=current_app.config["PATRON_UPLOAD_ALLOWED_TYPES"].replace(",", ", "),
        errors=errors or [],
    )


def record_files(entity: str, record: Any, errors: list[str] | None = None) -> Files | None:
    """The files tab of the page of ``record`` (read by the page already)."""
    return files_section(files(entity, record), errors=errors)


def upload_file(entity: str, record_id: uuid.UUID, upload: FileStorage | None) -> Outcome:
    """Attach ``upload`` to the record; a file over the limit is refused with 413, one of a
    type not allowed with 422 (nothing is stored either way)."""
    if upload is None or not upload.filename:
        return Outcome(errors={"file": [_("Choose a file to upload.")]}, status=422)
    try:
        return attempt(lambda: attach_file(entity, record_id, upload))
    except RequestEntityTooLarge:
        db.session.rollback()
        limit = file_size(max_upload_bytes())
        return Outcome(errors={"file": [_("The file is larger than %(limit)s, the most a file "
                                          "may be; nothing was stored.", limit=limit)]},
                       status=413)


def attachment_of(entity: str, record_id: uuid.UUID, attachment_id: uuid.UUID) -> Attachment:
    """The attachment ``attachment_id`` of this record; 404 if it belongs to another one."""
    attachment = readable_attachment(attachment_id)
    if (attachment.parent_entity, attachment.parent_id) != (entity, record_id):
        abort(404)
    return attachment


def remove_file(entity: str, record_id: uuid.UUID, attachment_id: uuid.UUID) -> str:
    """Delete one attachment of the record; returns its file name."""
    attachment = attachment_of(entity, record_id, attachment_id)
    delete_attachment(attachment)
    return attachment.filename
