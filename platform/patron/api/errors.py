"""Error handlers: problem+json under /api, the HTML error page elsewhere."""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from patron.api.openapi import ProblemSchema, decimal_strings, nullable_read_only
from patron.errors import (
    PROBLEM_JSON,
    Conflict,
    FieldError,
    ValidationFailed,
    problem,
    problem_from_http_exception,
)


def wants_problem() -> bool:
    """API requests get problem+json; browser pages get HTML."""
    return request.path.startswith("/api/")


def schema_name(schema) -> str:
    """OpenAPI component name: the class name without "Schema", "Patch" for partial ones."""
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial and not name.endswith("Patch"):
        name += "Patch"
    return name


#: An error page's heading and text, in the reader's language.
ERROR_PAGES = {
    400: (_l("Bad request"), _l("The page could not understand what was sent.")),
    403: (_l("Forbidden"), _l("Your role does not allow this. Ask an administrator if you "
                             "need it.")),
    404: (_l("Not found"), _l("There is nothing here, or nothing you may see. Check the "
                             "address, or go back and follow a link.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    409: (_l("Conflict"), _l("The change conflicts with the record as it is now.")),
    413: (_l("Too large"), _l("What was sent is larger than allowed.")),
    429: (_l("Too many requests"), _l("Too many requests in a short time: wait a moment and "
                                     "try again.")),
    500: (_l("Something went wrong"), _l("The page failed. Nothing was changed; try again "
                                        "in a moment.")),
}


class PatronApi(Api):
    """flask-smorest's Api with RFC 9457 errors instead of its own JSON error shape, in the
    answers and in the OpenAPI document (:mod:`patron.api.openapi`)."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask | None = None) -> None:
        plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
        super().__init__(app, spec_kwargs={"marshmallow_plugin": plugin})
        for describe in (decimal_strings, nullable_read_only):
            self.ma_plugin.converter.add_attribute_function(describe)

    def _register_responses(self) -> None:
        # flask-smorest documents its error responses with the content type of successful
        # ones; Patron's errors are problem+json.
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_JSON
        try:
            super()._register_responses()
        finally:
            del self.DEFAULT_RESPONSE_CONTENT_TYPE

    def handle_http_exception(self, error: HTTPException):
        if wants_problem():
            return problem_from_http_exception(error)
        title, detail = ERROR_PAGES.get(error.code, (error.name, error.description))
        if error.description != type(error).description:
            detail = error.description  # what the page that refused said, not the default
        return render_template("error.html", code=error.code, title=title, detail=detail), \
            error.code


def _validation_failed(error: ValidationFailed):
    return problem(422, error.detail, errors=error.errors)


def _field_error(error: FieldError):
    return problem(422, str(error), errors={error.field: [str(error)]})


def _conflict(error: Exception):
    detail = (
        str(error)
        if isinstance(error, Conflict)
        else "The record was changed by someone else; reload and apply your change again."
    )
    return problem(409, detail)


def _integrity_error(error: IntegrityError):
    return problem(409, "The change conflicts with an existing record.")


def register_error_handlers(app: Flask) -> None:
    """Map domain exceptions to problem responses (the request's changes are rolled back)."""
    app.register_error_handler(ValidationFailed, _validation_failed)
    app.register_error_handler(FieldError, _field_error)
    app.register_error_handler(Conflict, _conflict)
    app.register_error_handler(StaleDataError, _conflict)
    app.register_error_handler(IntegrityError, _integrity_error)
