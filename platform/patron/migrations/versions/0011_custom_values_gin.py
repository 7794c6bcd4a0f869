"""GIN indexes on the custom values of the customer master (PostgreSQL)

Revision ID: 0011_custom_values_gin
Revises: 0010_folded_match_indexes
Create Date: 2026-11-26 16:30:00
"""

from collections.abc import Sequence

from patron.db.indexes import create_custom_values_indexes, drop_custom_values_indexes

revision: str = "0011_custom_values_gin"
down_revision: str | Sequence[str] | None = "0010_folded_match_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("accounts", "contacts", "products", "activities")


def upgrade() -> None:
    # PostgreSQL only: see patron.db.indexes.custom_values_index.
    create_custom_values_indexes(TABLES)


def downgrade() -> None:
    drop_custom_values_indexes(TABLES)
