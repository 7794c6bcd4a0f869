"""Error handlers: problem+json under /api, the HTML error page elsewhere."""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, render_template, request
from flask_smorest import Api
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from patron.errors import (
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


class PatronApi(Api):
    """flask-smorest's Api with RFC 9457 errors instead of its own JSON error shape."""

    def __init__(self, app: Flask | None = None) -> None:
        plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
        super().__init__(app, spec_kwargs={"marshmallow_plugin": plugin})

    def handle_http_exception(self, error: HTTPException):
        if wants_problem():
            return problem_from_http_exception(error)
        return (
            render_template(
                "error.html", code=error.code, title=error.name, detail=error.description
            ),
            error.code,
        )


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
