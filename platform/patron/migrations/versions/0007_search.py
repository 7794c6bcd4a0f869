"""global search: search_documents and its full-text index (FTS5 or tsvector + trigrams)

The table is portable; the full-text parts differ per database and are written by hand
(see patron.db.fulltext for why they look the way they do):

- SQLite: an FTS5 external-content table over title, content and keywords, kept in step by
  triggers and keyed by search_documents.rowid. A later migration that rebuilds
  search_documents on SQLite (batch mode) must recreate these triggers and rebuild the index.
- PostgreSQL: a generated tsvector column with a GIN index, and a trigram GIN index on title,
  both led by tenant_id. pg_trgm and btree_gin are trusted extensions the database owner may
  create; where one cannot be created, the index that needs it is left out (trigrams) or loses
  its tenant_id prefix (btree_gin), and search still works, only slower.

Revision ID: 0007_search
Revises: 0006_saved_views
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

import patron.db.types

revision: str = '0007_search'
down_revision: str | Sequence[str] | None = '0006_saved_views'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_COLUMNS = "title, content, keywords"

SQLITE_UPGRADE = [
    f"CREATE VIRTUAL TABLE search_documents_fts USING fts5({FTS_COLUMNS}, "
    "content='search_documents', tokenize='unicode61', prefix='2 3 4')",
    f"""CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_documents_fts(rowid, {FTS_COLUMNS})
        VALUES (new.rowid, new.title, new.content, new.keywords);
    END""",
    f"""CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_documents_fts(search_documents_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.rowid, old.title, old.content, old.keywords);
    END""",
    f"""CREATE TRIGGER search_documents_fts_update AFTER UPDATE OF {FTS_COLUMNS}
    ON search_documents BEGIN
        INSERT INTO search_documents_fts(search_documents_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.rowid, old.title, old.content, old.keywords);
        INSERT INTO search_documents_fts(rowid, {FTS_COLUMNS})
        VALUES (new.rowid, new.title, new.content, new.keywords);
    END""",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER search_documents_fts_update",
    "DROP TRIGGER search_documents_fts_delete",
    "DROP TRIGGER search_documents_fts_insert",
    "DROP TABLE search_documents_fts",
]

# ASCII punctuation becomes spaces so that e-mails, domains and phone numbers split into words
# as FTS5's unicode61 splits them (PostgreSQL's parser would keep an e-mail address whole).
POSTGRES_VECTOR = """ALTER TABLE search_documents ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]+', ' ', 'g')), 'A')
        || setweight(to_tsvector('simple', regexp_replace(content, '[[:punct:]]+', ' ', 'g')), 'B')
        || setweight(to_tsvector('simple', keywords), 'C')
    ) STORED"""


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('keywords', sa.Text(), nullable=False),
    sa.Column('updated_at', patron.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_search_documents_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_search_documents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('tenant_id', 'entity', 'record_id', name=op.f('uq_search_documents_tenant_id_entity_record_id'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_owner', ['tenant_id', 'owner_id'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)
    elif dialect == "postgresql":
        _postgres_upgrade()


def _postgres_upgrade() -> None:
    bind = op.get_bind()
    # exec_driver_sql: "[[:punct:]]" would read as a bind parameter in text().
    bind.exec_driver_sql(POSTGRES_VECTOR)
    lead = "tenant_id, " if _create_extension("btree_gin") else ""
    bind.exec_driver_sql(f"CREATE INDEX ix_search_documents_vector ON search_documents "
                         f"USING gin ({lead}search_vector)")
    if _create_extension("pg_trgm"):
        bind.exec_driver_sql(f"CREATE INDEX ix_search_documents_title_trgm ON search_documents "
                             f"USING gin ({lead}title gin_trgm_ops)")


def _create_extension(name: str) -> bool:
    """Create extension ``name`` unless this role may not; whether it is there now."""
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {name}")
    except DBAPIError:
        return False
    return True


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWNGRADE:
            op.execute(statement)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_owner')

    op.drop_table('search_documents')
