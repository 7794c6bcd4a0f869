"""GIN indexes on the custom values of the customer master (PostgreSQL)

Revision ID: 0011_custom_values_gin
Revises: 0010_folded_match_indexes
Create Date: 2026-11-26 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_custom_values_gin"
down_revision: str | Sequence[str] | None = "0010_folded_match_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("accounts", "contacts", "products", "activities")


def upgrade() -> None:
    # PostgreSQL only: see patron.db.indexes.custom_values_index. Without btree_gin (the
    # search migration creates it where the role may) the index leaves tenant_id out.
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    btree_gin = bind.exec_driver_sql(
        "SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'").scalar()
    lead = "tenant_id, " if btree_gin else ""
    for table in TABLES:
        bind.exec_driver_sql(f"CREATE INDEX ix_{table}_custom ON {table} "
                             f"USING gin ({lead}custom jsonb_path_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.drop_index(f"ix_{table}_custom", table_name=table)
