"""Keeping search documents in step with the records they describe.

Every registered entity is indexed without further code: its ``<entity>.created``,
``.updated`` and ``.deleted`` events (emitted in the transaction of the change) refresh or
drop its document, and :func:`reindex_tenant` rebuilds a tenant's documents from the entity
tables. Both read the record itself, not the event payload, so the document is the same
whoever made the change and whatever the API would show them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select

from patron.customfields.models import FieldDefinition
from patron.customfields.services import definitions_of
from patron.db import db, require_tenant_id
from patron.db.bulk import insert_rows
from patron.entities import Entity, entities
from patron.events import DomainEvent
from patron.records.views import written_record
from patron.search.models import SearchDocument
from patron.search.text import phone_keys

ACTIONS = frozenset({"created", "updated", "deleted"})
#: Custom-field types whose values are words worth finding.
TEXT_TYPES = frozenset({"text", "long_text", "email", "phone", "url", "select", "multi_select"})
TITLE_LENGTH = 500
BATCH_SIZE = 500


def text_fields(entity: Entity) -> Sequence[FieldDefinition]:
    """The current tenant's text-like custom fields of ``entity``."""
    if not entity.has_custom_fields:
        return []
    return [d for d in definitions_of(entity.name) if d.type in TEXT_TYPES]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value)
    return str(value)


def document_fields(entity: Entity, record: Any,
                    custom_fields: Sequence[FieldDefinition]) -> dict[str, Any]:
    """Title, content, keywords and owner of ``record``'s search document."""
    title = _text(getattr(record, entity.title))
    values = [getattr(record, name) for name in entity.searchable if name != entity.title]
    custom = (record.custom or {}) if custom_fields else {}
    values += [custom.get(definition.name) for definition in custom_fields]
    content = " ".join(text for text in map(_text, values) if text)
    return {
        "title": title[:TITLE_LENGTH],
        "content": content,
        "keywords": " ".join(phone_keys(f"{title} {content}")),
        "owner_id": getattr(record, "owner_id", None),
    }


def forget_records(entity: Entity, record_ids: Sequence[uuid.UUID]) -> None:
    """Drop the search documents of records that no longer exist (one statement)."""
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.entity == entity.name,
                                     SearchDocument.record_id.in_(record_ids))
    )


def index_records(entity: Entity, records: Sequence[Any], *, new: bool) -> None:
    """Create or refresh the search documents of ``records`` of ``entity``: new records'
    documents with one ``INSERT``; changed ones' looked up with one ``SELECT``."""
    custom_fields = text_fields(entity)
    documents = {} if new else {document.record_id: document for document in (
        db.session.execute(select(SearchDocument).where(
            SearchDocument.entity == entity.name,
            SearchDocument.record_id.in_([record.id for record in records]))).scalars())}
    fresh = []
    for record in records:
        values = document_fields(entity, record, custom_fields)
        document = documents.get(record.id)
        if document is None:
            fresh.append({"entity": entity.name, "record_id": record.id, **values})
            continue
        for key, value in values.items():
            setattr(document, key, value)
    insert_rows(SearchDocument, fresh)


def index_events(events: Sequence[DomainEvent]) -> None:
    """Reflect ``<entity>.created|updated|deleted`` events in the search documents, a few
    statements per kind of event whatever the number of records. The records are read from
    the session (a batch write has them there), so the document is the same whoever made the
    change and whatever the API would show them."""
    known = entities()
    batches: dict[tuple[str, str], list[uuid.UUID]] = {}
    for event in events:
        noun, _, action = event.name.rpartition(".")
        if noun in known and action in ACTIONS and "id" in event.payload:
            batches.setdefault((noun, action), []).append(uuid.UUID(str(event.payload["id"])))
    for (noun, action), record_ids in batches.items():
        entity = known[noun]
        if action == "deleted":
            forget_records(entity, record_ids)
            continue
        records = _records(entity, record_ids)
        if gone := [record_id for record_id in record_ids if record_id not in records]:
            forget_records(entity, gone)
        index_records(entity, list(records.values()), new=action == "created")


def _records(entity: Entity, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """The records by id: from the session's identity map or the batch just written as rows
    (:func:`patron.records.views.written_record`), the rest in one query."""
    tenant_id = require_tenant_id()
    found = {}
    for record_id in record_ids:
        record = db.session.identity_map.get(
            db.session.identity_key(entity.model, (tenant_id, record_id))
        ) or written_record(entity.model, record_id)
        if record is not None:
            found[record_id] = record
    missing = [record_id for record_id in record_ids if record_id not in found]
    if missing:
        found |= {record.id: record for record in db.session.execute(
            select(entity.model).where(entity.model.id.in_(missing))).scalars()}
    return found


def reindex_tenant() -> dict[str, int]:
    """Rebuild the current tenant's documents from the entity tables.

    Records are read ``BATCH_SIZE`` at a time (keyset on ``id``) and let go of after each
    batch, so memory stays flat; the caller's transaction makes the rebuild all or nothing.
    Returns how many records of each entity were indexed.
    """
    db.session.execute(delete(SearchDocument))
    return {name: _reindex_entity(entity) for name, entity in entities().items()}


def _reindex_entity(entity: Entity) -> int:
    custom_fields = text_fields(entity)
    model = entity.model
    count = 0
    last_id: uuid.UUID | None = None
    while True:
        statement = select(model).order_by(model.id).limit(BATCH_SIZE)
        if last_id is not None:
            statement = statement.where(model.id > last_id)
        records = db.session.execute(statement).scalars().all()
        db.session.add_all(
            SearchDocument(entity=entity.name, record_id=record.id,
                           **document_fields(entity, record, custom_fields))
            for record in records
        )
        db.session.flush()
        db.session.expunge_all()
        count += len(records)
        if len(records) < BATCH_SIZE:
            return count
        last_id = records[-1].id
