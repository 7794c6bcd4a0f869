"""Multipart uploads in the API: the ``multipart`` argument location and a blueprint whose
routes take it, each keeping its own body-size limit (:mod:`patron.filestore` has the limits).

Shared by the core's attachments and imports and by plugins that accept files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from patron.api.blueprint import PatronBlueprint, PatronParser
from patron.endpoints import takes_files
from patron.filestore import MULTIPART_OVERHEAD_BYTES, refuse_too_large


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

    def add_url_rule(self, rule: str, endpoint: str | None = None,
                     view_func: Callable | None = None, **options: Any) -> None:
        """Every route of the blueprint takes files (:func:`patron.endpoints.takes_files`)."""
        if view_func is not None:
            takes_files(view_func)
        super().add_url_rule(rule, endpoint, view_func, **options)

    def _limit_body(self) -> None:
        limit = self.max_bytes() + MULTIPART_OVERHEAD_BYTES
        if request.content_length is not None and request.content_length > limit:
            refuse_too_large(self.max_bytes(), self.setting)
        request.max_content_length = limit
