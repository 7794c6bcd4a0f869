"""Full-text search SQL that differs between SQLite and PostgreSQL (issue 3, item 6).

``search_documents`` (:class:`patron.search.models.SearchDocument`) is the same portable
table on every database. What makes it searchable is created by hand, per dialect, in the
migration ``0007_search``:

SQLite
    ``search_documents_fts``, an FTS5 *external-content* table over ``title``, ``content``
    and ``keywords`` (tokenizer ``unicode61``, prefix indexes of 2, 3 and 4 characters),
    kept in step by triggers on ``search_documents`` and keyed by its ``rowid``. External
    content stores the text once, and the application only ever writes
    ``search_documents``. Matches are joined back to ``search_documents``, so the ORM's
    tenant scoping applies to every hit. Ranked with ``bm25`` (a title hit weighs most).

    Trap: the FTS rows point at ``search_documents.rowid``. A later migration that rebuilds
    ``search_documents`` on SQLite (Alembic's batch mode copies the table) renumbers the
    rowids and drops the triggers: it must recreate the triggers and then run
    ``INSERT INTO search_documents_fts(search_documents_fts) VALUES ('rebuild')``.

PostgreSQL
    ``search_vector``, a ``tsvector GENERATED ALWAYS ... STORED`` column ('simple'
    configuration; title weighted A, content B, keywords C) with a GIN index, and a pg_trgm
    GIN index on ``title``. Both lead with ``tenant_id`` (btree_gin). ASCII punctuation
    becomes spaces before ``to_tsvector``, so that e-mail addresses, domains and phone
    numbers split into words exactly as FTS5's unicode61 splits them: both databases match
    the same words. Ranked with ``ts_rank``. When the words find fewer hits than asked for,
    PostgreSQL also looks for the whole query anywhere inside titles (:func:`title_contains`,
    ``ILIKE`` served by the trigram index: ``gacor`` finds "MegaCorp"); SQLite has no such
    index and does not. A separate query rather than an ``OR``: with the ``OR`` the planner
    gave up both GIN indexes for a scan of the tenant's rows. Where the migration could not
    create pg_trgm (or btree_gin), it leaves that index out (or its ``tenant_id`` prefix):
    the same SQL runs, only slower.

    Trap: under row-level security PostgreSQL turns a condition into an index condition only
    if its operator is LEAKPROOF, and neither ``@@`` (``ts_match_vq``) nor ``ILIKE``
    (``texticlike``) is. So for the application role both queries find the tenant's rows
    through a ``tenant_id`` index and filter them: correct, but linear in the tenant's
    documents, while a superuser's plan uses the GIN indexes. A superuser opts in with
    ``patron db mark-leakproof``
    (:func:`patron.db.postgres.mark_operators_leakproof`); Patron does not change
    system functions on its own.

A query reaches this module as word tokens made only of letters and digits
(:func:`patron.search.text.query_tokens`), each matched as a word prefix, all required. They
are bound as parameters and quoted for the FTS syntax, so user input never becomes operators.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic.autogenerate import comparators
from alembic.autogenerate.api import AutogenContext
from alembic.operations.ops import MigrateOperation, ModifyTableOps, UpgradeOps
from alembic.util import DispatchPriority, PriorityDispatchResult
from sqlalchemy import ColumnElement, Select, Table, column, func, literal_column, table

DOCUMENTS = "search_documents"
FTS_TABLE = f"{DOCUMENTS}_fts"
VECTOR_COLUMN = "search_vector"
POSTGRES_INDEXES = frozenset({f"ix_{DOCUMENTS}_vector", f"ix_{DOCUMENTS}_title_trgm"})

#: bm25 weights of the FTS5 columns title, content and keywords.
FTS_WEIGHTS = (10.0, 2.0, 1.0)
#: Shortest phrase :func:`title_contains` looks for: pg_trgm indexes three-character grams.
MIN_INFIX_LENGTH = 3


def match_documents(
    statement: Select, documents: Table, tokens: Sequence[str], dialect: str
) -> tuple[Select, ColumnElement[float]]:
    """Limit ``statement`` (which selects from ``documents``) to the documents that have a
    word starting with each of ``tokens``.

    Returns the statement and its relevance score to order by, higher is better.
    """
    if dialect == "postgresql":
        vector = literal_column(f"{documents.name}.{VECTOR_COLUMN}")
        query = func.to_tsquery(
            literal_column("'simple'::regconfig"), " & ".join(f"{token}:*" for token in tokens)
        )
        return statement.where(vector.bool_op("@@")(query)), func.ts_rank(vector, query)
    fts = table(FTS_TABLE, column("rowid"))
    fts_name = literal_column(FTS_TABLE)
    expression = " AND ".join(f'"{token}"*' for token in tokens)
    statement = statement.join(fts, fts.c.rowid == literal_column(f"{documents.name}.rowid"))
    return statement.where(fts_name.match(expression)), -func.bm25(fts_name, *FTS_WEIGHTS)


def title_contains(documents: Table, phrase: str, dialect: str) -> ColumnElement[bool] | None:
    """Titles of ``documents`` containing ``phrase`` anywhere, where an index serves that.

    ``None`` on SQLite (no such index) and for phrases too short for trigrams.
    """
    if dialect != "postgresql" or len(phrase) < MIN_INFIX_LENGTH:
        return None
    return documents.c.title.ilike(f"%{_escape_like(phrase)}%", escape="\\")


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
