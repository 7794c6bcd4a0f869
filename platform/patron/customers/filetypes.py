"""Names and types of uploaded files: the name kept, the types the allow-list lets in, and
whether the bytes are what the name says.

A file's type is derived from its name, never taken from the client's ``Content-Type``;
``PATRON_UPLOAD_ALLOWED_TYPES`` lists the extensions and types accepted. The first bytes must
agree (:func:`check_content`, signatures read by puremagic): a file named like a format that
has a signature (an image, a PDF, an Office file) must carry it, and one named like plain text
must not be a web page or a program.
"""

from __future__ import annotations

import mimetypes
import re
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

import puremagic
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


#: Bytes read to recognise a file.
HEAD_BYTES = 8192
#: Formats whose files start with a signature, by the family of signatures that proves them
#: (Office Open XML and OpenDocument files are zip archives, older Office files OLE ones).
SIGNED = {
    ".png": {".png"}, ".jpg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    ".jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"}, ".gif": {".gif"}, ".webp": {".webp"},
    ".pdf": {".pdf"}, ".rtf": {".rtf"},
    **dict.fromkeys((".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"),
                    {".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".jar",
                     ".xlsb", ".epub"}),
    **dict.fromkeys((".doc", ".xls", ".ppt", ".msg"),
                    {".doc", ".xls", ".ppt", ".msg", ".msi", ".ole", ".dot", ".pps"}),
}
#: What a file named like text must not be: pages, scripts and programs a browser or a
#: desktop would run.
ACTIVE = {".html", ".htm", ".xhtml", ".svg", ".js", ".exe", ".dll", ".elf", ".sh", ".bat",
          ".swf", ".class"}


def _recognised(head: bytes) -> set[str]:
    """The extensions whose signature ``head`` carries (none for plain text)."""
    try:
        return {match.extension.lower() for match in puremagic.magic_string(head)}
    except (puremagic.PureError, ValueError):
        return set()


def check_content(filename: str, head: bytes) -> None:
    """422 unless the file's first bytes (``head``) agree with its name (see above)."""
    extension = PurePosixPath(filename.lower()).suffix
    found = _recognised(head)
    expected = SIGNED.get(extension)
    if expected is not None and not found & expected:
        raise ValidationFailed({"file": [
            f"The file is named {extension} but its content is not a {extension} file."]})
    if expected is None and found & ACTIVE:
        raise ValidationFailed({"file": [
            "The file holds a web page or a program, which cannot be uploaded under this "
            "name."]})
