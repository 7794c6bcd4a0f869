"""Errors every layer may raise, and their RFC 9457 problem+json form.

Services raise :class:`ValidationFailed` (422 with field messages), :class:`FieldError` and
:class:`Conflict` (409); the API answers them with :func:`problem` and pages show the same
messages, so the exceptions live at the bottom of the layers (docs/API.md, "Errors").
"""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"


class ValidationFailed(Exception):
    """Raise from a service to answer 422 with field messages; nothing is committed.

    >>> raise ValidationFailed({"email": ["already taken"]})
    """

    def __init__(self, errors: dict, detail: str = "The request has invalid fields.") -> None:
        super().__init__(detail)
        self.errors = errors
        self.detail = detail


class FieldError(ValueError):
    """A service refused an input because of one field; answered as 422 ``{field: [message]}``.

    Services raise subclasses (``UserError``, ``RbacError``); the CLI and manifests print them
    as ``field: message``.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Conflict(Exception):
    """Raise to answer 409 (a stale version, or a state that forbids the change)."""


def problem(status: int, detail: str | None = None, **extra) -> Response:
    """A problem+json response."""
    phrase = HTTPStatus(status).phrase
    body = {"type": "about:blank", "title": phrase, "status": status, "detail": detail or phrase}
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="patron"'
    return response


def _field_errors(messages) -> dict:
    """Flatten webargs' ``{"json": {...}, "query": {...}}`` into one field → messages map."""
    errors: dict = {}
    for location_messages in (messages or {}).values():
        if isinstance(location_messages, dict):
            errors.update(location_messages)
        else:
            errors.setdefault("_body", []).extend(location_messages)
    return errors


def problem_from_http_exception(error: HTTPException) -> Response:
    """Convert an HTTP error (including flask-smorest/webargs ones) to problem+json."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    extra = {}
    if status == 422:
        extra["errors"] = _field_errors(data.get("messages"))
    detail = data.get("message") or error.description
    if status == 422 and detail == error.description:
        detail = "The request has invalid fields."
    response = problem(status, detail, **extra)
    # The exception's own headers (a 405's Allow, RFC 9110), then flask-smorest's.
    for header, value in [*error.get_headers(), *(data.get("headers") or {}).items()]:
        if header.lower() != "content-type":
            response.headers[header] = value
    return response
