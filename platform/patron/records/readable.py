"""Records one record points at: a contact's account, an activity's deal, a file's parent.

A reference is accepted only to a record the signed-in user could read through the API: an
entity of the core or of a module the tenant enabled, the read permission on it, the record
in the user's data scope. Anything else is treated as missing, so a reference can never be
used to probe for records the user may not see (docs/API.md: existence is not disclosed).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select

from patron.db import db
from patron.entities import Entity, entities
from patron.errors import ValidationFailed
from patron.plugins.services import is_enabled
from patron.rbac.access import can, scoped_select


def readable_entity(name: str | None) -> Entity | None:
    """The entity ``name`` if it is present for the tenant and the user may read it."""
    entity = entities().get(name) if name else None
    if entity is None or (entity.module is not None and not is_enabled(entity.module)):
        return None
    return entity if can(f"{entity.resource}.read") else None


def readable_entities() -> list[Entity]:
    """Every entity whose records the user may read (some of)."""
    return [e for e in map(readable_entity, entities()) if e is not None]


def readable_ids(entity: Entity) -> Select:
    """``SELECT id`` of the records of ``entity`` in the user's data scope."""
    return scoped_select(entity.model, entity.resource,
                         shared=True).with_only_columns(entity.model.id)


def readable_record(entity_name: str | None, record_id: uuid.UUID | None) -> Any | None:
    """The record if the user may read it; ``None`` if not, or if there is no such record."""
    entity = readable_entity(entity_name)
    if entity is None or record_id is None:
        return None
    return db.session.execute(
        scoped_select(entity.model, entity.resource, shared=True)
        .where(entity.model.id == record_id)
    ).scalar_one_or_none()


def check_reference(field: str, entity_name: str, record_id: uuid.UUID) -> Any:
    """The record ``field`` refers to; 422 on ``field`` when the user cannot read it."""
    record = readable_record(entity_name, record_id)
    if record is None:
        raise ValidationFailed({field: [f"No such {entity_name}."]})
    return record


def check_references(field: str, entity_name: str,
                     record_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Any]:
    """:func:`check_reference` for a batch of rows, in one query: the records ``field`` of
    each row refers to, by id (``None`` ids are skipped); 422 on ``field`` naming the first
    the user cannot read."""
    wanted = {record_id for record_id in record_ids if record_id is not None}
    if not wanted:
        return {}
    entity = readable_entity(entity_name)
    found = {} if entity is None else {
        record.id: record for record in db.session.execute(
            scoped_select(entity.model, entity.resource, shared=True)
            .where(entity.model.id.in_(wanted))).scalars()}
    if len(found) < len(wanted):
        raise ValidationFailed({field: [f"No such {entity_name}."]})
    return found
