"""Answering a search: one ranked query over the documents the signed-in user may see.

Which documents that is, is decided in SQL, for all entities at once: the entities of the
core and of the tenant's enabled modules whose ``<resource>.read`` permission the user holds,
each limited to the user's data scope on it (the same set-based criteria record lists use).
Tenant scoping comes from the ORM, as for every query of a tenant-owned model; the
full-text match is also limited to the tenant inside the index where that is not implied
(SQLite, see :func:`~patron.db.fulltext.match_documents`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, or_, select

from patron.auth.models import User
from patron.db import db
from patron.db.fulltext import match_documents, title_contains
from patron.db.tenant_context import require_tenant_id
from patron.entities import Entity, entities
from patron.errors import ValidationFailed
from patron.plugins.services import enabled_modules
from patron.rbac.access import can, require_user, scope_for
from patron.rbac.field_security import hidden_fields
from patron.rbac.scopes import scope_criteria
from patron.search.models import SearchDocument
from patron.search.text import query_tokens, snippet


def searchable_entities(name: str | None = None) -> list[Entity]:
    """The entities whose records the signed-in user may find (only ``name`` if given).

    An entity that is not registered, or whose module the tenant has not enabled, is a 422
    on ``entity``; one the user may not read is simply not searched, and neither is one
    whose title or searchable fields the user's role hides (field-level security): a match
    on a hidden field would reveal its value.
    """
    enabled = enabled_modules()
    available = [e for e in entities().values() if e.module is None or e.module in enabled]
    if name is not None:
        available = [e for e in available if e.name == name]
        if not available:
            raise ValidationFailed({"entity": [f"No searchable entity {name!r}."]})
    return [e for e in available if can(f"{e.resource}.read")
            and not hidden_fields(e.name) & {e.title, *e.searchable}]


def visible_documents(entity: Entity, user: User) -> ColumnElement[bool]:
    """Documents of ``entity`` inside ``user``'s data scope on it."""
    criteria = SearchDocument.entity == entity.name
    if hasattr(entity.model, "owner_id"):
        criteria = and_(criteria, scope_criteria(SearchDocument.owner_id, user,
                                                 scope_for(entity.resource)))
    return criteria


def search(query: str, entity_name: str | None, limit: int) -> list[dict[str, Any]]:
    """The best ``limit`` hits for ``query``, best first.

    Documents with a word starting with every term come first, by relevance; where the
    database can (see :func:`~patron.db.fulltext.title_contains`) and they are fewer than
    ``limit``, titles containing the whole query follow.
    """
    user = require_user()
    allowed = searchable_entities(entity_name)
    tokens = query_tokens(query)
    if not tokens or not allowed:
        return []
    visible = select(
        SearchDocument.id, SearchDocument.entity, SearchDocument.record_id,
        SearchDocument.title, SearchDocument.content,
    ).where(or_(*(visible_documents(entity, user) for entity in allowed)))
    documents, dialect = SearchDocument.__table__, db.session.get_bind().dialect.name
    matched, score = match_documents(visible, documents, tokens, dialect,
                                     tenant_id=require_tenant_id())
    rows = _page(matched.order_by(score.desc()), limit)
    infix = title_contains(documents, " ".join(query.split()), dialect)
    if infix is not None and len(rows) < limit:
        found = [row.id for row in rows]
        rows += _page(visible.where(infix, SearchDocument.id.not_in(found)), limit - len(rows))
    return [hit(row, tokens) for row in rows]


def _page(statement: Select, limit: int) -> list[Row]:
    statement = statement.order_by(SearchDocument.title, SearchDocument.record_id).limit(limit)
    return list(db.session.execute(statement).all())


def hit(row: Row, tokens: list[str]) -> dict[str, Any]:
    """One search result as the API returns it (entities with hidden searchable fields were
    left out by :func:`searchable_entities`)."""
    item: dict[str, Any] = {"entity": row.entity, "id": row.record_id, "title": row.title}
    text = snippet(row.content, tokens)
    if text:
        item["snippet"] = text
    return item
