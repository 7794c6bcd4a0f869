"""A flask-smorest blueprint whose argument parser answers every bad body with 422."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import g
from flask_smorest import Blueprint, abort
from webargs.flaskparser import FlaskParser

from patron.endpoints import has_body
from patron.input_guard import JSON_BODY


class PatronParser(FlaskParser):
    """Malformed JSON is a validation error (422), like a wrong type, not a 400."""

    DEFAULT_VALIDATION_STATUS = 422
    # Let each schema's Meta.unknown decide for the query string too: list endpoints take
    # their filters as extra parameters (INCLUDE) and check them themselves (unknown → 422).
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None,
    }

    def _raw_load_json(self, req):
        # The body the input guard already read and checked (patron.input_guard), not a
        # second parse of the same bytes.
        if JSON_BODY in g:
            return g.get(JSON_BODY)
        return super()._raw_load_json(req)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(422, exc=error, messages={"json": {"_body": ["Invalid JSON body."]}})


class PatronBlueprint(Blueprint):
    """Use for every API blueprint of the core and of plugins.

    A module whose API is too large for one file may split it over several blueprints, one a
    module, nested in the one it registers (``blp.register_blueprint(part)``): they share its
    URL prefix and its OpenAPI tag.
    """

    ARGUMENTS_PARSER = PatronParser()

    def arguments(self, schema: Any, *, location: str = "json", required: bool = True,
                  **kwargs: Any) -> Callable:
        """flask-smorest's ``arguments``; a JSON body documented as required is refused
        (422) when the request has none, as the OpenAPI document says, instead of being
        read as ``{}`` (``{}`` itself stays a valid, empty body)."""
        decorator = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required:
            return decorator

        def with_body(view: Callable) -> Callable:
            parsed = decorator(view)

            @functools.wraps(parsed)
            def needs_body(*args: Any, **view_kwargs: Any) -> Any:
                if not has_body():
                    abort(422, messages={"json": {"_body": [
                        "Send the request's fields as a JSON object."]}})
                return parsed(*args, **view_kwargs)

            return needs_body

        return with_body
