"""The validation pass: every row checked as the API would check it, nothing written.

The file is read once, a batch at a time. Each row's cells become the API's input
(:class:`~patron.imports.mapping.RowMapper`), references given by name become ids
(:mod:`patron.imports.references`: one query per batch and referenced entity's key field),
its duplicates are looked up (one query per batch and match field), and it is loaded with the
entity's own API schema and custom-field rules: as a ``PATCH`` would be when it updates a
record, else as a ``POST``. A row that duplicates a record in ``skip`` mode is settled here.
Valid rows go to the plan for the import pass; what needs the database to check (references,
unique values, the resource's own rules) is checked there, by the same operations the API
runs.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from patron.customfields.services import CustomValues
from patron.errors import ValidationFailed
from patron.imports.matching import Key
from patron.imports.models import SKIP, UPDATE
from patron.imports.parsing import Record, batched
from patron.imports.plan import Plan, PlannedRow
from patron.imports.references import ReferenceColumn, reference_columns, resolve_references
from patron.imports.run import ImportRun
from patron.imports.target import ImportTarget


class RowRules:
    """The entity's API validation, built once per import: schema and custom-field rules
    for creating a record and for updating one."""

    def __init__(self, target: ImportTarget) -> None:
        self.references: list[ReferenceColumn] = reference_columns(target.fields.values(),
                                                                   target.entity.name)
        self.schemas = {False: target.spec.schema(), True: target.spec.schema(partial=True)}
        self.custom = ({updating: CustomValues(target.custom_fields, creating=not updating)
                        for updating in (False, True)}
                       if target.entity.has_custom_fields else None)

    def load(self, values: dict, custom: dict, current: Any | None) -> tuple[dict, dict | None]:
        """The loaded fields and the custom values of a row that creates a record, or
        updates ``current``; :class:`ValidationFailed` with every field's messages."""
        updating = current is not None
        messages: dict = {}
        loaded: dict = {}
        try:
            loaded = self.schemas[updating].load(values)
        except ValidationError as error:
            messages.update(error.messages)
        if self.custom is not None:
            try:
                self.custom[updating].merge(current.custom if updating else None, custom)
            except ValidationFailed as error:
                messages.update(error.errors)
        if messages:
            raise ValidationFailed(messages)
        return loaded, (custom or None)


def validate_rows(run: ImportRun, plan: Plan) -> None:
    """Validate the whole file, adding the valid rows to ``plan`` (inside ``with plan:``)."""
    rules = RowRules(run.target)
    for batch in batched(run.source.records(), run.batch_size):
        planned = _validate_batch(run, rules, batch)
        plan.add(planned)
        run.planned += len(planned)
        run.processed += len(batch)
        run.report()


def _validate_batch(run: ImportRun, rules: RowRules, batch: list[Record]) -> list[PlannedRow]:
    read: list[tuple[int, dict, dict]] = []
    for record in batch:
        try:
            values, custom = run.mapper.to_input(record.cells)
        except ValidationFailed as error:
            run.errors.add_row(record.line, error.errors)
            continue
        read.append((record.line, values, custom))
    unresolved = resolve_references(rules.references, [values for _, values, _ in read])
    rows: list[tuple[int, dict, dict, Key | None]] = []
    for index, (line, values, custom) in enumerate(read):
        if index in unresolved:
            run.errors.add_row(line, unresolved[index])
            continue
        rows.append((line, values, custom, run.matcher.key(values)))
    found = run.matcher.existing(key for *_, key in rows)
    planned = []
    for line, values, custom, key in rows:
        try:
            action, record = run.matcher.decide(key, found.get(key, []) if key else [])
            if action == SKIP:
                run.counts.skipped += 1
                continue
            loaded, custom_values = rules.load(values, custom,
                                               record if action == UPDATE else None)
        except ValidationFailed as error:
            run.errors.add_row(line, error.errors)
            continue
        planned.append(PlannedRow(line, loaded, custom_values))
    return planned
