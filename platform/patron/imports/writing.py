"""The import pass: the planned rows written through the API's own operations, in one
transaction that the caller commits (or rolls back, for a dry run or when a row is refused).

Every row goes through :func:`~patron.api.operations.create_record` or
:func:`~patron.api.operations.update_record`, so it meets the resource's own create and update
rules, field-level security, unique custom values and optimistic locking, and emits the same
domain events (hence the audit log, webhooks and plugins) as a ``POST`` or ``PATCH``.

A batch runs in a savepoint. When one of its rows is refused, the batch goes back to the
savepoint and runs again row by row, each row in a savepoint of its own, so that every refused
row is reported and the others still checked. Duplicates are looked up inside the transaction:
a row that repeats an earlier row of the file finds the record that row created.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from patron.db import db
from patron.db.sqlite import open_transaction
from patron.errors import Conflict, FieldError, ValidationFailed
from patron.imports.errors import RECORD_ERRORS
from patron.imports.matching import Key
from patron.imports.models import SKIP, UPDATE
from patron.imports.plan import Plan, PlannedRow
from patron.imports.run import ImportRun
from patron.records.operations import create_record, update_record

REFUSALS = (ValidationFailed, FieldError, Conflict, IntegrityError, StaleDataError,
            HTTPException)


class RowRefused(Exception):
    """An operation refused a row; ``messages`` are its field errors."""

    def __init__(self, line: int, messages: dict) -> None:
        super().__init__(line)
        self.line = line
        self.messages = messages


def refusal_messages(error: Exception) -> dict:
    """The field errors an operation's refusal amounts to."""
    if isinstance(error, ValidationFailed):
        return error.errors
    if isinstance(error, FieldError):
        return {error.field: [str(error)]}
    if isinstance(error, IntegrityError):
        return {RECORD_ERRORS: ["The row conflicts with a record already there."]}
    if isinstance(error, StaleDataError):
        return {RECORD_ERRORS: ["The record this row updates was changed meanwhile; "
                                "import the file again."]}
    if isinstance(error, HTTPException):
        return {RECORD_ERRORS: [error.description or error.name]}
    return {RECORD_ERRORS: [str(error)]}


def write_rows(run: ImportRun, plan: Plan) -> None:
    """Write every planned row in the current transaction, reporting refused rows."""
    open_transaction(db.session)
    for batch in plan.batches():
        found = run.matcher.existing(run.matcher.key(row.values) for row in batch)
        counted = replace(run.counts)
        try:
            with db.session.begin_nested():
                created: dict[Key, list[Any]] = {}
                for row in batch:
                    _write_row(run, row, found, created)
        except RowRefused:
            run.counts = counted
            _write_row_by_row(run, batch, found)
        run.processed += len(batch)
        run.report(writing=True)


def _write_row_by_row(run: ImportRun, batch: list[PlannedRow],
                      found: dict[Key, list[Any]]) -> None:
    created: dict[Key, list[Any]] = {}
    for row in batch:
        try:
            with db.session.begin_nested():
                _write_row(run, row, found, created)
        except RowRefused as refusal:
            run.errors.add_row(refusal.line, refusal.messages)


def _write_row(run: ImportRun, row: PlannedRow, found: dict[Key, list[Any]],
               created: dict[Key, list[Any]]) -> None:
    key = run.matcher.key(row.values)
    data = dict(row.values)
    if row.custom is not None:
        data["custom"] = dict(row.custom)
    spec = run.target.spec
    try:
        action, record = run.matcher.decide(key, created.get(key) or found.get(key, [])
                                            if key else [])
        if action == SKIP:
            run.counts.skipped += 1
        elif action == UPDATE:
            update_record(spec, record, data)
            run.counts.updated += 1
        else:
            new = create_record(spec, data)
            run.counts.created += 1
            if key is not None:
                created[key] = [new]
    except REFUSALS as error:
        raise RowRefused(row.line, refusal_messages(error)) from error
