"""Answering a search: one ranked query over the documents the signed-in user may see.

Which documents that is, is decided in SQL, for all entities at once: the entities of the
core and of the tenant's enabled modules whose ``<resource>.read`` permission the user holds,
each limited to the user's data scope on it (the same set-based criteria record lists use).
On SQLite tenant scoping comes from the ORM, as for every query of a tenant-owned model, and
the full-text match is also limited to the tenant inside the index
(:func:`~patron.db.fulltext.match_documents`); on PostgreSQL the hits come from the table
owner's search functions, which limit them to the tenant setting themselves
(:mod:`patron.db.fulltext` says why).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, or_, select

from patron.auth.models import User
from patron.db import db
from patron.db.fulltext import match_documents, matching, titles_containing
from patron.db.tenant_context import require_tenant_id
from patron.entities import Entity, entities
from patron.errors import ValidationFailed
from patron.plugins.services import enabled_modules
from patron.rbac.access import can, require_user, scope_for
from patron.rbac.field_security import hidden_fields
from patron.rbac.scopes import scope_criteria
from patron.search.models import SearchDocument
from patron.search.text import query_tokens, snippet

#: The longest query the API and the pages accept (characters).
MAX_QUERY_LENGTH = 200


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


def visible_documents(entity: Entity, user: User, entity_column: ColumnElement,
                      owner_column: ColumnElement) -> ColumnElement[bool]:
    """Documents of ``entity`` inside ``user``'s data scope on it, for documents read through
    ``entity_column`` and ``owner_column`` (the table's, or a search function's)."""
    criteria = entity_column == entity.name
    if hasattr(entity.model, "owner_id"):
        criteria = and_(criteria, scope_criteria(owner_column, user,
                                                 scope_for(entity.resource)))
    return criteria


def search(query: str, entity_name: str | None, limit: int) -> list[dict[str, Any]]:
    """The best ``limit`` hits for ``query``, best first.

    Documents with a word starting with every term come first, by relevance; where the
    database can (see :func:`~patron.db.fulltext.titles_containing`) and they are fewer than
    ``limit``, titles containing the whole query follow.
    """
    user = require_user()
    allowed = searchable_entities(entity_name)
    tokens = query_tokens(query)
    if not tokens or not allowed:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return _search_postgres(query, tokens, allowed, user, limit)
    documents = SearchDocument
    visible = select(
        documents.id, documents.entity, documents.record_id, documents.title, documents.content,
    ).where(or_(*(visible_documents(entity, user, documents.entity, documents.owner_id)
                  for entity in allowed)))
    matched, score = match_documents(visible, SearchDocument.__table__, tokens,
                                     tenant_id=require_tenant_id())
    return [hit(row, tokens) for row in _page(matched.order_by(score.desc()), documents, limit)]


def _search_postgres(query: str, tokens: list[str], allowed: list[Entity], user: User,
                     limit: int) -> list[dict[str, Any]]:
    """PostgreSQL: the hits come from the table owner's search functions (limited to the
    tenant there, see :mod:`patron.db.fulltext`); the data scopes, order and limit here."""
    def visible(found) -> Select:
        columns = found.c
        return select(columns.id, columns.entity, columns.record_id, columns.title,
                      columns.content).where(or_(*(
                          visible_documents(entity, user, columns.entity, columns.owner_id)
                          for entity in allowed)))

    matches = matching(tokens)
    rows = _page(visible(matches).order_by(matches.c.rank.desc()), matches.c, limit)
    titles = titles_containing(" ".join(query.split()), "postgresql")
    if titles is not None and len(rows) < limit:
        found = [row.id for row in rows]
        rows += _page(visible(titles).where(titles.c.id.not_in(found)), titles.c,
                      limit - len(rows))
    return [hit(row, tokens) for row in rows]


def _page(statement: Select, documents: Any, limit: int) -> list[Row]:
    statement = statement.order_by(documents.title, documents.record_id).limit(limit)
    return list(db.session.execute(statement).all())


def hit(row: Row, tokens: list[str]) -> dict[str, Any]:
    """One search result as the API returns it (entities with hidden searchable fields were
    left out by :func:`searchable_entities`)."""
    item: dict[str, Any] = {"entity": row.entity, "id": row.record_id, "title": row.title}
    text = snippet(row.content, tokens)
    if text:
        item["snippet"] = text
    return item
