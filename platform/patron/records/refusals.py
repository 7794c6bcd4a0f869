"""What the record operations raise when they refuse a write, and those refusals as field
errors: for the writers that go on after one refused record (imports, bulk actions) and
report it instead of answering with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from patron.errors import Conflict, FieldError, ValidationFailed

#: Errors of one record, not of the whole write (marshmallow's key for them).
RECORD_ERRORS = "_schema"

REFUSALS = (ValidationFailed, FieldError, Conflict, IntegrityError, StaleDataError,
            HTTPException)


def refusal_messages(error: Exception) -> dict:
    """The field errors an operation's refusal amounts to (``RECORD_ERRORS`` for those of
    the record as a whole)."""
    if isinstance(error, ValidationFailed):
        return error.errors
    if isinstance(error, FieldError):
        return {error.field: [str(error)]}
    if isinstance(error, IntegrityError):
        return {RECORD_ERRORS: ["The change conflicts with a record already there."]}
    if isinstance(error, StaleDataError):
        return {RECORD_ERRORS: ["The record was changed meanwhile; try again."]}
    if isinstance(error, HTTPException):
        return {RECORD_ERRORS: [error.description or error.name]}
    return {RECORD_ERRORS: [str(error)]}


def flatten(messages: Any, prefix: str = "") -> Iterator[tuple[str | None, str]]:
    """``(field, message)`` pairs of marshmallow-style nested messages.

    ``{"custom": {"vip": ["Not a valid boolean."]}}`` gives ``("custom.vip", "Not a valid
    boolean.")``; errors of the whole record have no field.
    """
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            yield from flatten(value, name)
    elif isinstance(messages, list | tuple):
        for message in messages:
            yield from flatten(message, prefix)
    else:
        yield (None if prefix in ("", RECORD_ERRORS) else prefix), str(messages)
