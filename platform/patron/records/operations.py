"""Creating, updating and deleting records of any :class:`ResourceSpec`.

One code path for every interface (API, pages, imports): custom-field values are validated
and merged, the ``<event>.created|updated|deleted`` domain events are emitted in the same
transaction. Callers check permissions and data scope first.
"""

from __future__ import annotations

from typing import Any

from patron.customfields.services import apply_custom_values, forget_unique_values
from patron.db import db
from patron.errors import Conflict
from patron.events import emit
from patron.rbac.access import acting_user_id
from patron.rbac.field_security import check_writable
from patron.records.changes import changed_fields
from patron.records.references import refuse_if_referenced, refused_references
from patron.records.spec import ResourceSpec


def create_record(spec: ResourceSpec, data: dict) -> Any:
    """Create a record from loaded ``data`` (``custom`` included); the caller owns it."""
    custom = data.pop("custom", None)
    check_writable(spec.entity, data, custom)
    if spec.create:
        record = spec.create(data)
    else:
        record = spec.model(**data)
        if hasattr(spec.model, "owner_id") and record.owner_id is None:
            record.owner_id = acting_user_id()
        db.session.add(record)
    if spec.entity:
        apply_custom_values(spec.entity, record, custom, creating=True)
    db.session.flush()
    emit(f"{spec.event}.created", spec.schema().dump(record))
    return record


def update_record(spec: ResourceSpec, record: Any, data: dict) -> dict[str, list]:
    """Apply loaded ``data`` to ``record``; returns the changes ``{field: [before, after]}``."""
    schema = spec.schema()
    before = schema.dump(record)
    custom = data.pop("custom", None)
    check_writable(spec.entity, data, custom)
    if spec.update:
        spec.update(record, data)
    else:
        for key, value in data.items():
            setattr(record, key, value)
    if spec.entity and custom is not None:
        apply_custom_values(spec.entity, record, custom, creating=False)
    db.session.flush()
    after = schema.dump(record)
    changes = changed_fields(before, after)
    emit(f"{spec.event}.updated", {**after, "changes": changes})
    return changes


def delete_record(spec: ResourceSpec, record: Any) -> None:
    """Delete ``record`` (through the spec's own delete when it has one); 409
    (:class:`~patron.api.references.StillReferenced`) while other records refer to it."""
    refuse_if_referenced(spec.entity, record)
    payload = spec.schema().dump(record)
    if spec.entity:
        forget_unique_values(record.id)
    with refused_references():
        if spec.delete:
            spec.delete(record)
        else:
            db.session.delete(record)
            db.session.flush()
    emit(f"{spec.event}.deleted", payload)


def check_version(record: Any, expected: int | None) -> None:
    """409 when the client based its change on another version than the record's (optimistic
    locking, ../shared/API.md); ``None`` means the client did not say, which passes."""
    if expected is not None and expected != record.version:
        raise Conflict(
            f"the record was changed by someone else (version {record.version}, "
            f"you sent {expected}); reload and apply your change again"
        )
