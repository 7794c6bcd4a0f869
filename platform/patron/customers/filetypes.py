"""Names and types of uploaded files: the name kept and the types the allow-list lets in.

A file's type is derived from its name, never taken from the client's ``Content-Type``;
``PATRON_UPLOAD_ALLOWED_TYPES`` lists the extensions and types accepted.
"""

from __future__ import annotations

import mimetypes
import re
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from flask import current_app

from patron.errors import ValidationFailed

#: Office formats Python's built-in table does not know (it is used without the host's
#: /etc/mime.types, so every machine derives the same type from the same name).
EXTRA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".rtf": "application/rtf",
    ".msg": "application/vnd.ms-outlook",
    ".webp": "image/webp",
}
UNKNOWN_TYPE = "application/octet-stream"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _type_table() -> mimetypes.MimeTypes:
    table = mimetypes.MimeTypes()
    for extension, content_type in EXTRA_TYPES.items():
        table.add_type(content_type, extension)
    return table


TYPES = _type_table()


def clean_filename(raw: str | None) -> str:
    """The name to keep for an uploaded file: no directories, no control characters."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    name = CONTROL_CHARACTERS.sub("", name).strip()
    if not name:
        raise ValidationFailed({"file": ["The file needs a name."]})
    return name[-255:]


def content_type_of(filename: str) -> str:
    """The content type a file name stands for (the client's claim is not trusted)."""
    return TYPES.guess_type(filename, strict=False)[0] or UNKNOWN_TYPE


def check_type(filename: str) -> str:
    """The file's content type if ``PATRON_UPLOAD_ALLOWED_TYPES`` allows it; 422 otherwise.

    The allow-list holds extensions (``.pdf``) and content types (``image/png``,
    ``image/*``).
    """
    allowed = [e.strip().lower() for e in
               current_app.config["PATRON_UPLOAD_ALLOWED_TYPES"].split(",") if e.strip()]
    content_type = content_type_of(filename)
    extension = PurePosixPath(filename.lower()).suffix
    if extension in allowed or any(fnmatchcase(content_type, p) for p in allowed if "/" in p):
        return content_type
    raise ValidationFailed({"file": [
        f"Files of type {content_type} ({extension or 'no extension'}) cannot be uploaded; "
        f"allowed: {', '.join(allowed)}."
    ]})
