"""Text no column can hold, refused before any view sees it: a NUL character or a lone
surrogate in the query, a form or a JSON body, and JSON nested deeper than any resource goes.

PostgreSQL refuses NUL in text and Python cannot encode a lone surrogate (``"\\ud800"``) as
UTF-8, so either used to end as a 500 deep in a write or a filter; JSON nested thousands deep
overflowed the parser's recursion. One check of every request (``patron.app``) answers them
all the same way: 422 problem+json naming the field for the API (400 for JSON that cannot be
read), 400 for a page.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, g, request
from flask_babel import gettext

from patron.errors import problem

#: Deeper JSON than any resource has (a record's custom values are two levels down).
MAX_DEPTH = 32
UNSTORABLE = "Contains a character that cannot be stored (a NUL or a lone surrogate)."
TOO_DEEP = "The JSON body is nested too deeply."
#: Where a request's checked JSON body is kept (``flask.g``) for the API's argument parser.
JSON_BODY = "patron_json_body"


def storable(text: str) -> bool:
    """Whether ``text`` can be stored: no NUL, no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _walk(value: Any, path: str, depth: int, errors: dict[str, list[str]]) -> None:
    if depth > MAX_DEPTH:
        raise RecursionError
    if isinstance(value, str):
        if not storable(value):
            errors[path or "_body"] = [UNSTORABLE]
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if not storable(key):
                errors[path or "_body"] = [UNSTORABLE]
            else:
                _walk(item, name, depth + 1, errors)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}" if path else str(index), depth + 1, errors)


def _json_errors() -> dict[str, list[str]] | None:
    """What is wrong with a JSON body's text (``None``: nothing); a body that is not JSON
    at all is left to the route, which says so."""
    if not request.is_json or not request.content_length:
        return None
    try:
        data = json.loads(request.get_data(cache=True))
    except RecursionError:
        abort(400, description=TOO_DEEP)
    except ValueError:
        return None
    errors: dict[str, list[str]] = {}
    try:
        _walk(data, "", 0, errors)
    except RecursionError:
        abort(400, description=TOO_DEEP)
    if not errors:
        setattr(g, JSON_BODY, data)  # what the API's argument parser loads, read once
    return errors


def check_request() -> Response | None:
    """Refuse a request carrying text that cannot be stored (a ``before_request``)."""
    errors = {name: [UNSTORABLE] for name, value in request.args.items(multi=True)
              if not (storable(name) and storable(value))}
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        errors |= {name: [UNSTORABLE] for name, value in request.form.items(multi=True)
                   if not (storable(name) and storable(value))}
    errors |= _json_errors() or {}
    if not errors:
        return None
    if request.path.startswith("/api/"):
        return problem(422, "The request has invalid fields.", errors=errors)
    abort(400, description=gettext("What was sent contains a character that cannot be "
                                   "stored (a NUL or a lone surrogate)."))
