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
from patron.db import db
from patron.entities import Entity, entities
from patron.events import DomainEvent
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


def index_record(entity: Entity, record: Any, custom_fields: Sequence[FieldDefinition],
                 is_new: bool = False) -> None:
    """Create or refresh the search document of ``record`` (``is_new``: it has none yet, so
    there is nothing to look up — one query less per created record)."""
    document = None if is_new else db.session.execute(
        select(SearchDocument).where(SearchDocument.entity == entity.name,
                                     SearchDocument.record_id == record.id)
    ).scalar_one_or_none()
    if document is None:
        document = SearchDocument(entity=entity.name, record_id=record.id)
        db.session.add(document)
    for key, value in document_fields(entity, record, custom_fields).items():
        setattr(document, key, value)


def forget_record(entity: Entity, record_id: uuid.UUID) -> None:
    """Drop the search document of a record that no longer exists."""
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.entity == entity.name,
                                     SearchDocument.record_id == record_id)
    )


def index_event(event: DomainEvent) -> None:
    """Reflect an ``<entity>.created|updated|deleted`` event in the search documents."""
    noun, _, action = event.name.rpartition(".")
    entity = entities().get(noun)
    if entity is None or action not in ACTIONS or "id" not in event.payload:
        return
    record_id = uuid.UUID(str(event.payload["id"]))
    record = (None if action == "deleted"
              else db.session.get(entity.model, (event.tenant_id, record_id)))
    if record is None:
        forget_record(entity, record_id)
    else:
        index_record(entity, record, text_fields(entity), is_new=action == "created")


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
