"""A flask-smorest blueprint whose argument parser answers every bad body with 422."""

from __future__ import annotations

from flask_smorest import Blueprint, abort
from webargs.flaskparser import FlaskParser


class PatronParser(FlaskParser):
    """Malformed JSON is a validation error (422), like a wrong type, not a 400."""

    DEFAULT_VALIDATION_STATUS = 422
    # Let each schema's Meta.unknown decide for the query string too: list endpoints take
    # their filters as extra parameters (INCLUDE) and check them themselves (unknown → 422).
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None,
    }

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(422, exc=error, messages={"json": {"_body": ["Invalid JSON body."]}})


class PatronBlueprint(Blueprint):
    """Use for every API blueprint of the core and of plugins.

    A module whose API is too large for one file may split it over several blueprints, one a
    module, nested in the one it registers (``blp.register_blueprint(part)``): they share its
    URL prefix and its OpenAPI tag.
    """

    ARGUMENTS_PARSER = PatronParser()
