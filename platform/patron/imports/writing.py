"""The import pass: the planned rows written through the API's own operations, in one
transaction that the caller commits (or rolls back, for a dry run or when a row is refused).

Every batch of rows goes through :func:`~patron.records.operations.create_records` and
:func:`~patron.records.operations.update_records`, so each row meets the resource's own create
and update rules, field-level security, unique custom values and optimistic locking, and emits
the same domain events (hence the audit log, webhooks and plugins) as a ``POST`` or ``PATCH``,
at the cost of a few statements per batch rather than several per row.

A batch runs in a savepoint. When one of its rows is refused, the batch goes back to the
savepoint and runs again row by row, each row in a savepoint of its own, so that every refused
row is reported with its line and the others still checked. Duplicates are looked up inside
the transaction: a row that repeats an earlier row of the file finds the record that row
created.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from patron.db import db
from patron.db.sqlite import open_transaction
from patron.imports.matching import Key
from patron.imports.models import SKIP, UPDATE
from patron.imports.plan import Plan, PlannedRow
from patron.imports.run import ImportRun
from patron.records.operations import create_records, update_records
from patron.records.refusals import REFUSALS, refusal_messages


class RowRefused(Exception):
    """An operation refused a row; ``messages`` are its field errors."""

    def __init__(self, line: int, messages: dict) -> None:
        super().__init__(line)
        self.line = line
        self.messages = messages


class BatchWriter:
    """The writes of one batch of rows, sent to the batch operations in as few calls as the
    rows allow: creates together, updates together. A row that must see what an earlier row
    of the batch does (the same key created twice, one record updated twice) first sends
    what is pending, so the outcome is the same as writing the rows one by one."""

    def __init__(self, run: ImportRun, found: dict[Key, list[Any]]) -> None:
        self.run = run
        self.found = found
        self.created: dict[Key, list[Any]] = {}
        self.creates: list[tuple[Key | None, dict]] = []
        self.updates: dict[int, tuple[Any, dict]] = {}

    def add(self, row: PlannedRow) -> None:
        """Plan ``row``'s write (or count it skipped); refusals raise as the operations do."""
        matcher, counts = self.run.matcher, self.run.counts
        key = matcher.key(row.values)
        if key is not None and any(key == pending for pending, _ in self.creates):
            self.send()
        action, record = matcher.decide(key, self.created.get(key) or self.found.get(key, [])
                                        if key else [])
        data = dict(row.values)
        if row.custom is not None:
            data["custom"] = dict(row.custom)
        if action == SKIP:
            counts.skipped += 1
        elif action == UPDATE:
            if id(record) in self.updates:
                self.send()
            self.updates[id(record)] = (record, data)
            counts.updated += 1
        else:
            self.creates.append((key, data))
            counts.created += 1

    def send(self) -> None:
        """Write what is pending: the creates with one call, then the updates with one."""
        spec = self.run.target.spec
        if self.creates:
            records = create_records(spec, [data for _, data in self.creates])
            for (key, _), record in zip(self.creates, records, strict=True):
                if key is not None:
                    self.created[key] = [record]
            self.creates = []
        if self.updates:
            update_records(spec, list(self.updates.values()))
            self.updates = {}


def write_rows(run: ImportRun, plan: Plan) -> None:
    """Write every planned row in the current transaction, reporting refused rows."""
    open_transaction(db.session)
    for batch in plan.batches():
        found = run.matcher.existing(run.matcher.key(row.values) for row in batch)
        counted = replace(run.counts)
        try:
            with db.session.begin_nested():
                _write_batch(run, batch, found)
        except RowRefused:
            run.counts = counted
            _write_row_by_row(run, batch, found)
        run.processed += len(batch)
        run.report(writing=True)


def _write_batch(run: ImportRun, rows: list[PlannedRow],
                 found: dict[Key, list[Any]]) -> BatchWriter:
    """Write ``rows`` as one batch; :class:`RowRefused` (of the first row, when the batch
    operation cannot say which) if anything is refused."""
    writer = BatchWriter(run, found)
    try:
        for row in rows:
            writer.add(row)
        writer.send()
    except REFUSALS as error:
        raise RowRefused(rows[0].line, refusal_messages(error)) from error
    return writer


def _write_row_by_row(run: ImportRun, batch: list[PlannedRow],
                      found: dict[Key, list[Any]]) -> None:
    """Write a refused batch again a row at a time, each in its savepoint, so that every
    refused row is reported with its line and the others are still written."""
    created: dict[Key, list[Any]] = {}
    for row in batch:
        counted = replace(run.counts)
        try:
            with db.session.begin_nested():
                writer = _write_batch(run, [row], {**found, **created})
        except RowRefused as refusal:
            run.counts = counted
            run.errors.add_row(row.line, refusal.messages)
            continue
        created.update(writer.created)
