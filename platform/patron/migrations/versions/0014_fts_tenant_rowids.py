"""global search on SQLite: the full-text index keyed by tenant, so a match stays in its tenant

SQLite only (PostgreSQL's GIN index already leads with tenant_id: nothing to do there).
search_documents_fts becomes a contentless FTS5 table whose rowid is
``tenant key << 39 | search_documents.rowid``, the tenant key being the last 24 bits of the
tenant id (its last six hex digits), so that a search limits the MATCH to its tenant's rowid
range (see patron.db.fulltext for the measurements behind this design). The triggers compute
that rowid; the index is refilled from search_documents. The downgrade restores the
external-content table of 0007_search and rebuilds it.

Revision ID: 0014_fts_tenant_rowids
Revises: 0013_owner_sorted_indexes
Create Date: 2026-11-26 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_fts_tenant_rowids"
down_revision: str | Sequence[str] | None = "0013_owner_sorted_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = "search_documents_fts"
COLUMNS = "title, content, keywords"
ROWID_BITS = 39
TENANT_KEY_HEX_DIGITS = 6
TRIGGERS = ("update", "delete", "insert")


def fts_rowid(row: str) -> str:
    """SQL for the FTS rowid of ``row`` (``new`` or ``old`` in a trigger, or the table):
    ``tenant key << 39 | rowid``, the key read from the last six hex digits of tenant_id."""
    digits = " + ".join(
        f"((instr('0123456789abcdef', lower(substr({row}.tenant_id, {place - TENANT_KEY_HEX_DIGITS}"
        f", 1))) - 1) << {4 * (TENANT_KEY_HEX_DIGITS - 1 - place)})"
        for place in range(TENANT_KEY_HEX_DIGITS))
    return f"((({digits}) << {ROWID_BITS}) | {row}.rowid)"


def _values(row: str, keyed: bool) -> str:
    rowid = fts_rowid(row) if keyed else f"{row}.rowid"
    return f"{rowid}, {row}.title, {row}.content, {row}.keywords"


def _triggers(keyed: bool) -> list[str]:
    """The three triggers that keep the index in step: with tenant-keyed FTS rowids (this
    revision) or with the documents' own rowids (0007_search)."""
    insert = f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES ({_values('new', keyed)});"
    delete = (f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) "
              f"VALUES ('delete', {_values('old', keyed)});")
    guard, watched = "", COLUMNS
    if keyed:
        guard = (f"SELECT RAISE(ABORT, 'search_documents rowid beyond the full-text key') "
                 f"WHERE new.rowid >= {1 << ROWID_BITS};")
        watched = f"{COLUMNS}, tenant_id"
    return [
        f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON search_documents BEGIN "
        f"{guard} {insert} END",
        f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON search_documents BEGIN {delete} END",
        f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF {watched} ON search_documents BEGIN "
        f"{delete} {insert} END",
    ]


def _drop() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {FTS}_{name}")
    op.execute(f"DROP TABLE {FTS}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    op.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='', "
               "tokenize='unicode61', prefix='2 3 4')")
    for statement in _triggers(keyed=True):
        op.execute(statement)
    op.execute(f"INSERT INTO {FTS}(rowid, {COLUMNS}) "
               f"SELECT {fts_rowid('search_documents')}, {COLUMNS} FROM search_documents")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    op.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='search_documents', "
               "tokenize='unicode61', prefix='2 3 4')")
    for statement in _triggers(keyed=False):
        op.execute(statement)
    op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
