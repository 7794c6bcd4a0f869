"""Multipart uploads in the API: the ``multipart`` argument location, a blueprint whose routes
take it, the file field of their schemas, and the body-size limit every upload route keeps.

Shared by the core's attachments and imports and by plugins that accept files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from flask import abort, current_app, request
from marshmallow import ValidationError, fields
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from patron.api.blueprint import PatronBlueprint, PatronParser

#: Room for the multipart framing and form fields around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def largest_body_bytes() -> int:
    """The most of any request body Patron reads: its largest upload, plus the framing.

    Set on every request before anything reads a form (the CSRF check does), so no route
    reads an unbounded body; upload routes lower it to their own limit.
    """
    config = current_app.config
    return (max(config["PATRON_UPLOAD_MAX_BYTES"], config["PATRON_IMPORT_MAX_BYTES"])
            + MULTIPART_OVERHEAD_BYTES)


class MultipartParser(PatronParser):
    """Adds the ``multipart`` location: the form fields and the files of one body together."""

    __location_map__ = {**PatronParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema) -> MultiDictProxy:
        """The form fields and files of ``req`` as one multidict."""
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema,
                              known_multi_fields=tuple(self.KNOWN_MULTI_FIELDS))


class UploadBlueprint(PatronBlueprint):
    """A blueprint whose routes may take multipart bodies (documented as such).

    ``max_bytes`` returns the largest file its routes accept and ``setting`` names the
    configuration that sets it: a body announcing more is refused with 413 before it is read,
    and no body is ever read past the limit.
    """

    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **PatronBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }

    def __init__(self, *args, max_bytes: Callable[[], int], setting: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.setting = setting
        self.before_request(self._limit_body)

    def _limit_body(self) -> None:
        limit = self.max_bytes() + MULTIPART_OVERHEAD_BYTES
        if request.content_length is not None and request.content_length > limit:
            refuse_too_large(self.max_bytes(), self.setting)
        request.max_content_length = limit


def refuse_too_large(max_bytes: int, setting: str) -> NoReturn:
    """Answer 413: the upload is over ``max_bytes`` (set by ``setting``); nothing was kept."""
    abort(413, description=f"the file is larger than {max_bytes} bytes, the limit {setting} "
          "sets; nothing was stored")


class FileField(fields.Field):
    """An uploaded file (a multipart part with a file name)."""

    def _deserialize(self, value, attr, data, **kwargs) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise ValidationError("Not a file.")
        return value
