"""Creating, updating and deleting records of any :class:`ResourceSpec`, one or many at once.

One code path for every interface (API, pages, imports, bulk actions, sync jobs): field
rules are checked, custom-field values validated and merged, the records written and the
``<event>.created|updated|deleted`` domain events emitted in the same transaction. Callers
check permissions and data scope first.

Writes are batch-first (issue 11): :func:`create_records` and :func:`update_records` check the
field rules once per batch, assign ids and defaults up front, validate each row's custom
values, check unique values and references with one query per batch, insert with one
statement per table (SQLAlchemy's insertmanyvalues: a single flush of objects whose keys are
known), dump the event payloads with one schema call and hand the events on with
:func:`~patron.events.emit_many` (audit rows, search documents and outbox rows then go in one
statement each). A single write is a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from patron.customfields.services import (
    apply_custom_values_many,
    forget_unique_values,
)
from patron.db import db, new_id
from patron.db.bulk import insert_rows, insertable_in_bulk, with_defaults
from patron.errors import Conflict
from patron.events import emit, emit_many
from patron.rbac.access import acting_user_id
from patron.rbac.field_security import check_writable
from patron.records.changes import changed_fields
from patron.records.references import refuse_if_referenced, refused_references
from patron.records.spec import ResourceSpec
from patron.records.views import RecordView, view_class, written


def _new_records(spec: ResourceSpec, rows: Sequence[dict]) -> list[Any]:
    if spec.create is not None:
        return [spec.create(data) for data in rows]
    if spec.rules is not None:
        return spec.rules.create_many(rows)
    owner_id = acting_user_id() if hasattr(spec.model, "owner_id") else None
    records = []
    for data in rows:
        record = spec.model(**data)
        if owner_id is not None and record.owner_id is None:
            record.owner_id = owner_id
        records.append(record)
    db.session.add_all(records)
    return records


def create_records(spec: ResourceSpec, rows: Sequence[dict]) -> list[Any]:
    """Create a record from each of the loaded ``rows`` (``custom`` included; the dicts are
    used up) and return them: read-only views where they are written as rows (below), ORM
    objects otherwise; :func:`update_records` takes either. All or nothing: a refused row
    raises, and the caller's transaction (or savepoint) is rolled back.

    Where the spec's records need nothing of the ORM on insert (its :class:`Rules` make them
    and :func:`~patron.db.bulk.insertable_in_bulk`), they are written as rows with one
    ``INSERT`` and returned as read-only views (:mod:`patron.records.views`): building and
    flushing an ORM object cost three times the insert itself. Otherwise they are ORM
    objects, flushed together, and returned as such.
    """
    customs = [data.pop("custom", None) for data in rows]
    check_writable(spec.entity, _keys(rows), _custom_keys(customs))
    if spec.create is None and spec.rules is not None and insertable_in_bulk(spec.model):
        return _insert_rows(spec, rows, customs)
    return _flush_objects(spec, rows, customs)


def create_record(spec: ResourceSpec, data: dict) -> Any:
    """Create a record from loaded ``data`` (``custom`` included) and return it, an ORM
    object its caller may go on working with (the same checks, rules and events as a batch of
    :func:`create_records`)."""
    customs = [data.pop("custom", None)]
    check_writable(spec.entity, data, customs[0])
    return _flush_objects(spec, [data], customs)[0]


def _insert_rows(spec: ResourceSpec, rows: Sequence[dict], customs: list) -> list[RecordView]:
    view = view_class(spec.model)
    records = [view(with_defaults(spec.model, values)) for values in spec.rules.new_values(rows)]
    _apply_custom_values(spec, records, customs)
    insert_rows(spec.model, (record.__dict__ for record in records))
    with written(spec.model, records):
        emit_many(f"{spec.event}.created", spec.dumper.dump(records, many=True))
    return records


def _flush_objects(spec: ResourceSpec, rows: Sequence[dict], customs: list) -> list[Any]:
    records = _new_records(spec, rows)
    for record in records:
        if record.id is None:
            record.id = new_id()
    _apply_custom_values(spec, records, customs)
    db.session.flush()
    emit_many(f"{spec.event}.created", spec.dumper.dump(records, many=True))
    return records


def _apply_custom_values(spec: ResourceSpec, records: list, customs: list) -> None:
    if spec.entity:
        apply_custom_values_many(spec.entity, list(zip(records, customs, strict=True)),
                                 creating=True)


def update_records(spec: ResourceSpec, changes: Sequence[tuple[Any, dict]]
                   ) -> list[dict[str, list]]:
    """Apply each loaded ``data`` to its ``record``; returns each record's changes
    ``{field: [before, after]}``, in order. All or nothing, as :func:`create_records`.
    A record :func:`create_records` handed back as a view is loaded to be changed."""
    changes = _loaded(spec, changes)
    records = [record for record, _ in changes]
    before = spec.dumper.dump(records, many=True)
    customs = [data.pop("custom", None) for _, data in changes]
    check_writable(spec.entity, _keys(data for _, data in changes), _custom_keys(customs))
    if spec.update is not None:
        for record, data in changes:
            spec.update(record, data)
    elif spec.rules is not None:
        spec.rules.update_many(changes)
    else:
        for record, data in changes:
            for key, value in data.items():
                setattr(record, key, value)
    if spec.entity:
        apply_custom_values_many(spec.entity, [
            (record, custom) for record, custom in zip(records, customs, strict=True)
            if custom is not None], creating=False)
    db.session.flush()
    after = spec.dumper.dump(records, many=True)
    diffs = [changed_fields(old, new) for old, new in zip(before, after, strict=True)]
    emit_many(f"{spec.event}.updated", [{**new, "changes": diff}
                                        for new, diff in zip(after, diffs, strict=True)])
    return diffs


def _loaded(spec: ResourceSpec, changes: Sequence[tuple[Any, dict]]
            ) -> Sequence[tuple[Any, dict]]:
    """``changes`` with the views among their records replaced by the records, in one query
    (an import row that updates a record an earlier row of the file created)."""
    ids = [record.id for record, _ in changes if isinstance(record, RecordView)]
    if not ids:
        return changes
    loaded = {record.id: record for record in db.session.scalars(
        select(spec.model).where(spec.model.id.in_(ids)))}
    return [(loaded[record.id] if isinstance(record, RecordView) else record, data)
            for record, data in changes]


def update_record(spec: ResourceSpec, record: Any, data: dict) -> dict[str, list]:
    """Apply loaded ``data`` to ``record``; returns the changes ``{field: [before, after]}``."""
    return update_records(spec, [(record, data)])[0]


def delete_record(spec: ResourceSpec, record: Any) -> None:
    """Delete ``record`` (through the spec's own delete when it has one); 409
    (:class:`~patron.records.references.StillReferenced`) while other records refer to it."""
    refuse_if_referenced(spec.entity, record)
    payload = spec.dumper.dump(record)
    if spec.entity:
        forget_unique_values(record.id)
    with refused_references():
        delete = spec.delete or (spec.rules.delete if spec.rules is not None else None)
        if delete is not None:
            delete(record)
        else:
            db.session.delete(record)
            db.session.flush()
    emit(f"{spec.event}.deleted", payload)


def check_version(record: Any, expected: int | None) -> None:
    """409 when the client based its change on another version than the record's (optimistic
    locking, docs/API.md); ``None`` means the client did not say, which passes."""
    if expected is not None and expected != record.version:
        raise Conflict(
            f"the record was changed by someone else (version {record.version}, "
            f"you sent {expected}); reload and apply your change again"
        )


def _keys(rows) -> dict:
    """Every field some row sets (field rules are checked once for the batch)."""
    return {key: None for data in rows for key in data}


def _custom_keys(customs: Sequence[dict | None]) -> dict | None:
    keys = {key: None for custom in customs for key in custom or {}}
    return keys or None
