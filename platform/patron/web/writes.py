"""Writes from pages: the refusals the API answers with 409/422 become form errors.

The operations (:mod:`patron.api.operations`, the services) raise the same exceptions for
pages as for the API; a page shows them next to the fields instead. The request's changes
are rolled back at once, so the page re-rendered with the errors reads the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from patron.db import db
from patron.errors import Conflict, FieldError, ValidationFailed
from patron.records.operations import create_record, delete_record, update_record
from patron.records.references import StillReferenced
from patron.records.spec import ResourceSpec
from patron.web.fields import FieldInfo
from patron.web.messages import translated
from patron.web.record_forms import other_errors, parse_form

T = TypeVar("T")

STALE = _l("Someone else changed this record while you were editing it. "
           "Reload the page and make your change again.")
CONFLICTING = _l("The change conflicts with an existing record.")


@dataclass
class Outcome(Generic[T]):
    """What a write returned, or why it was refused (``errors`` shaped like the API's)."""

    value: T | None = None
    errors: dict[str, Any] = field(default_factory=dict)
    status: int = 200

    @property
    def ok(self) -> bool:
        return not self.errors


def attempt(write: Callable[[], T]) -> Outcome[T]:
    """Run ``write``; on a refusal roll back and return the errors with the HTTP status."""
    try:
        return Outcome(write())
    except (ValidationFailed, ValidationError, FieldError) as error:
        if isinstance(error, ValidationFailed):
            errors = error.errors
        elif isinstance(error, ValidationError):
            errors = error.normalized_messages()
        else:
            errors = {error.field: [str(error)]}
        outcome = Outcome(errors=errors, status=422)
    except (Conflict, StaleDataError, IntegrityError) as error:
        message = (error.localized() if isinstance(error, StillReferenced) else
                   str(error) if isinstance(error, Conflict) else
                   STALE if isinstance(error, StaleDataError) else CONFLICTING)
        outcome = Outcome(errors={"_form": [str(message)]}, status=409)
    db.session.rollback()
    return outcome


def refused(schema: type[Schema], data: dict, errors: dict, *, partial: bool) -> Outcome:
    """422 with the form's ``errors`` and whatever else ``schema`` finds wrong in ``data``,
    so the user sees every problem at once."""
    try:
        schema(partial=partial).load(data)
    except ValidationError as error:
        errors = {**error.normalized_messages(), **errors}
    return Outcome(errors=errors, status=422)


def save_new(spec: ResourceSpec, data: dict, errors: dict | None = None) -> Outcome:
    """Create a record of ``spec`` from form ``data`` (unless parsing it found ``errors``)."""
    if errors:
        return refused(spec.schema, data, errors, partial=False)
    return attempt(lambda: create_record(spec, spec.schema().load(data)))


def change_checked(schema: type[Schema], record: Any, form: MultiDict, data: dict,
                   errors: dict | None, write: Callable[[dict], Any]) -> Outcome:
    """Apply form ``data`` to ``record`` with ``write`` (given what ``schema`` loads of it):
    409 unless the form's hidden ``version`` is the record's, 422 with every problem when
    parsing found ``errors`` or the schema or ``write`` refuses."""
    if form.get("version", type=int) != record.version:
        return Outcome(errors={"_form": [str(STALE)]}, status=409)
    if errors:
        return refused(schema, data, errors, partial=True)
    return attempt(lambda: write(schema(partial=True).load(data)))


def save_changes(spec: ResourceSpec, record: Any, form: MultiDict, data: dict,
                 errors: dict | None = None) -> Outcome:
    """Update ``record`` with form ``data``; the form's hidden ``version`` must be current."""
    return change_checked(spec.schema, record, form, data, errors,
                          lambda loaded: update_record(spec, record, loaded))


def submit_create(spec: ResourceSpec, fields: list[FieldInfo], form: MultiDict) -> Outcome:
    """Create a record of ``spec`` from a submitted form of ``fields``."""
    return save_new(spec, *parse_form(fields, form, creating=True))


def submit_update(spec: ResourceSpec, record: Any, fields: list[FieldInfo],
                  form: MultiDict) -> Outcome:
    """Update ``record`` from a submitted form of ``fields``."""
    return save_changes(spec, record, form, *parse_form(fields, form, creating=False))


def delete_and_tell(spec: ResourceSpec, record: Any, done: str) -> bool:
    """Delete ``record`` through its spec; flash ``done``, or why it was refused."""
    outcome = attempt(lambda: delete_record(spec, record))
    if outcome.ok:
        flash(done, "success")
    else:
        flash_refusal(outcome)
    return outcome.ok


def flash_refusal(outcome: Outcome) -> None:
    """Show why a write from a button (no form to re-render) was refused."""
    for message in other_errors(outcome.errors, []):
        flash(translated(message), "danger")
