"""Full-text search SQL that differs between SQLite and PostgreSQL (issue 3, item 6).

``search_documents`` (:class:`patron.search.models.SearchDocument`) is the same portable
table on every database. What makes it searchable is created by hand, per dialect, in the
migrations ``0007_search`` and (SQLite) ``0014_fts_tenant_rowids``:

SQLite
    ``search_documents_fts``, a *contentless* FTS5 table (``content=''``) over ``title``,
    ``content`` and ``keywords`` (tokenizer ``unicode61``, prefix indexes of 2, 3 and 4
    characters), kept in step by triggers on ``search_documents`` (the application only ever
    writes ``search_documents``). Its rowid is not the document's rowid but a *tenant-keyed* one::

        fts rowid = tenant key << 39 | search_documents.rowid

    where the tenant key is the last 24 bits of the tenant id (the random tail of its UUIDv7;
    :func:`tenant_rowids`). All of a tenant's entries thus lie in one rowid range, and a
    search adds ``rowid BETWEEN`` that range to the ``MATCH``: FTS5 seeks every word's
    doclist to the range (through its doclist indexes) instead of reading every tenant's
    matches, so the join back to ``search_documents`` (``rowid = fts rowid & (2^39 - 1)``,
    with the ORM's tenant scoping) and the ranking see only the tenant's hits. Two tenants
    whose keys collide (1 in 16.7 million per pair) share a range: only a little slower, since
    the join back still filters on ``tenant_id``. Ranked with ``bm25`` (a title hit weighs
    most), over the same columns and statistics as before, so the order of hits is unchanged.

    Measured on one tenant of 50,000 documents beside 500 tenants of 100 sharing common
    words (p50 of the ranked query, first page of 20): a small tenant's ``acme`` went from
    14 ms to 0.4 ms, and the large tenant's searches got no slower (``acme`` 25 → 15 ms).
    What still grows with all tenants is ``bm25``'s weighing of each word: it counts the
    word's documents in the whole index (cheap: 3.8 ms for ``corp berlin``, a word in every
    document, against 15 ms before).

    Why not a tenant token in the indexed text (an extra column holding ``t<tenant hex>``,
    ANDed into the ``MATCH``; external content would read it from a generated column)? It
    limits the match too, but ``bm25`` counts the documents of *every* phrase of the query,
    the tenant phrase included, so each search of the large tenant read all its 50,000
    entries (``john smi`` went from 0.2 to 11 ms there), and the extra column lengthened
    every document, which shifts the ranking. The rowid range is no phrase. One FTS table per
    tenant would need DDL per new tenant and triggers cannot pick a table. Why contentless?
    An external-content table's rowid must be the content table's (``content_rowid``), and
    the key is computed; the FTS text is never read back (hits are read from
    ``search_documents``), so nothing is lost. The cost is size: the doclists hold large
    rowid deltas between tenants, and the index grew by about 40 % on that data (37 → 52 MiB,
    the whole file by 16 %).

    Trap: the FTS rowids are derived from ``search_documents.rowid``. A later migration that
    rebuilds ``search_documents`` on SQLite (Alembic's batch mode copies the table) renumbers
    the rowids and drops the triggers: it must recreate the triggers of ``0014`` and refill
    the index. Contentless tables have no ``'rebuild'``; refill with
    ``INSERT INTO search_documents_fts(search_documents_fts) VALUES ('delete-all')`` and
    ``INSERT INTO search_documents_fts(rowid, title, content, keywords) SELECT <key>, title,
    content, keywords FROM search_documents`` (``<key>`` as in ``0014``). A ``'delete'`` must
    pass the indexed values exactly, as the triggers do.

PostgreSQL
    ``search_vector``, a ``tsvector GENERATED ALWAYS ... STORED`` column ('simple'
    configuration; title weighted A, content B, keywords C) with a GIN index, and a pg_trgm
    GIN index on ``title``. Both lead with ``tenant_id`` (btree_gin). ASCII punctuation
    becomes spaces before ``to_tsvector``, so that e-mail addresses, domains and phone
    numbers split into words exactly as FTS5's unicode61 splits them: both databases match
    the same words. Ranked with ``ts_rank``. When the words find fewer hits than asked for,
    PostgreSQL also looks for the whole query anywhere inside titles (:func:`titles_containing`,
    ``ILIKE`` served by the trigram index: ``gacor`` finds "MegaCorp"); SQLite has no such
    index and does not. A separate query rather than an ``OR``: with the ``OR`` the planner
    gave up both GIN indexes for a scan of the tenant's rows. Where the migration could not
    create pg_trgm (or btree_gin), it leaves that index out (or its ``tenant_id`` prefix):
    the same SQL runs, only slower.

    Under row-level security PostgreSQL turns a condition into an index condition only if
    its operator is LEAKPROOF, and neither ``@@`` (``ts_match_vq``) nor ``ILIKE``
    (``texticlike``) is: the application role's plan would read every document of the
    tenant and filter them (516 ms p95 at 1,000,000 contacts). So both matches go through
    two functions of the table's owner, run with its rights (``SECURITY DEFINER``, migration
    ``0015``): ``patron_search_matches(tsquery)`` (the matching documents with their
    ``ts_rank``) and ``patron_search_titles(pattern)``. The owner is not bound by the table's
    policy (``ENABLE`` without ``FORCE`` row level security on this one table), so the GIN
    indexes serve the match, and each function limits it to the tenant of the transaction's
    ``patron.tenant_id`` setting itself, exactly as the policy would; only the application
    role may execute them. They return what search shows of a document, so the outer query
    (data scopes, entities, order, limit) reads the hits alone: joined back to the table, a
    prepared statement's generic plan (which knows the tenant only as a parameter) read the
    whole tenant to hash the join (135 ms for 245 hits at 100,000 contacts, against 9 ms).

A query reaches this module as word tokens made only of letters and digits
(:func:`patron.search.text.query_tokens`), each matched as a word prefix, all required. They
are bound as parameters and quoted for the FTS syntax, so user input never becomes operators.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from alembic.autogenerate import comparators
from alembic.autogenerate.api import AutogenContext
from alembic.operations.ops import MigrateOperation, ModifyTableOps, UpgradeOps
from alembic.util import DispatchPriority, PriorityDispatchResult
from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    column,
    func,
    literal_column,
    table,
)
from sqlalchemy.sql.expression import TableValuedAlias

DOCUMENTS = "search_documents"
FTS_TABLE = f"{DOCUMENTS}_fts"
VECTOR_COLUMN = "search_vector"
POSTGRES_INDEXES = frozenset({f"ix_{DOCUMENTS}_vector", f"ix_{DOCUMENTS}_title_trgm"})

#: bm25 weights of the FTS5 columns title, content and keywords.
FTS_WEIGHTS = (10.0, 2.0, 1.0)
#: Low bits of an FTS rowid: the document's rowid in ``search_documents``.
ROWID_BITS = 39
ROWID_MASK = (1 << ROWID_BITS) - 1
#: High bits of an FTS rowid: the tenant key, the last bits of the tenant id.
TENANT_KEY_BITS = 24
#: Shortest phrase :func:`titles_containing` looks for: pg_trgm indexes three-character grams.
MIN_INFIX_LENGTH = 3
#: What PostgreSQL's search functions return of a document (besides ``rank``).
MATCH_COLUMNS = ("id", "entity", "record_id", "title", "content", "owner_id")


def match_documents(
    statement: Select, documents: Table, tokens: Sequence[str], tenant_id: uuid.UUID | None = None,
) -> tuple[Select, ColumnElement[float]]:
    """SQLite: limit ``statement`` (which selects from ``documents``) to the documents that
    have a word starting with each of ``tokens``.

    ``tenant_id`` limits the full-text match itself to that tenant's documents
    (:func:`tenant_rowids`); without it every tenant's matches are read and only
    ``statement``'s own conditions drop the other tenants' ones. Returns the statement and
    its relevance score to order by, higher is better. (PostgreSQL: :func:`matching`.)
    """
    fts = table(FTS_TABLE, column("rowid"))
    fts_name = literal_column(FTS_TABLE)
    expression = " AND ".join(f'"{token}"*' for token in tokens)
    statement = statement.join_from(
        documents, fts,
        literal_column(f"{documents.name}.rowid") == fts.c.rowid.bitwise_and(ROWID_MASK))
    statement = statement.where(fts_name.match(expression))
    if tenant_id is not None:
        statement = statement.where(fts.c.rowid.between(*tenant_rowids(tenant_id)))
    return statement, -func.bm25(fts_name, *FTS_WEIGHTS)


def matching(tokens: Sequence[str]) -> TableValuedAlias:
    """PostgreSQL: the current tenant's documents that have a word starting with each of
    ``tokens`` (:data:`MATCH_COLUMNS` and their ``rank``, higher is better), from the table
    owner's function, which limits them to the tenant setting itself."""
    query = func.to_tsquery(literal_column("'simple'::regconfig"),
                            " & ".join(f"{token}:*" for token in tokens))
    return func.patron_search_matches(query).table_valued(*MATCH_COLUMNS, "rank").alias(
        "matches")


def tenant_rowids(tenant_id: uuid.UUID) -> tuple[int, int]:
    """The first and last FTS rowid a document of ``tenant_id`` can have on SQLite.

    The key is the last :data:`TENANT_KEY_BITS` bits of the id, the ones the triggers of
    migration ``0014`` read from the last six hex digits of ``search_documents.tenant_id``.
    """
    first = (tenant_id.int & ((1 << TENANT_KEY_BITS) - 1)) << ROWID_BITS
    return first, first | ROWID_MASK


def titles_containing(phrase: str, dialect: str) -> TableValuedAlias | None:
    """The current tenant's documents whose title contains ``phrase`` anywhere
    (:data:`MATCH_COLUMNS`), where an index serves that: PostgreSQL's trigram index, through
    the table owner's function. ``None`` on SQLite (no such index) and for phrases too short
    for trigrams."""
    if dialect != "postgresql" or len(phrase) < MIN_INFIX_LENGTH:
        return None
    return func.patron_search_titles(f"%{_escape_like(phrase)}%").table_valued(
        *MATCH_COLUMNS).alias("titles")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- Alembic autogenerate -------------------------------------------------------------------
# The objects above exist on one database each, so no model can declare them; without this,
# `patron db revision` (and the models-vs-migrations check) would propose dropping them.


def _is_full_text_object(operation: MigrateOperation) -> bool:
    table_name = getattr(operation, "table_name", None) or ""
    return (
        table_name.startswith(FTS_TABLE)
        or (table_name == DOCUMENTS and getattr(operation, "column_name", None) == VECTOR_COLUMN)
        or getattr(operation, "index_name", None) in POSTGRES_INDEXES
    )


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def _leave_full_text_objects_alone(autogen_context: AutogenContext, upgrade_ops: UpgradeOps,
                                   schemas: set[str | None]) -> PriorityDispatchResult:
    """Autogenerate comparator: drop the proposals that would remove the full-text objects."""
    kept = []
    for operation in upgrade_ops.ops:
        if isinstance(operation, ModifyTableOps):
            operation.ops = [o for o in operation.ops if not _is_full_text_object(o)]
            if operation.is_empty():
                continue
        elif _is_full_text_object(operation):
            continue
        kept.append(operation)
    upgrade_ops.ops = kept
    return PriorityDispatchResult.CONTINUE
