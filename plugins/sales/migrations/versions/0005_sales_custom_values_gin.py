"""sales: GIN indexes on the custom values of leads, deals and contracts
(PostgreSQL)

Revision ID: 0005_sales_custom_values_gin
Revises: 0004_sales_report_totals
Create Date: 2026-11-26 18:30:00
"""

from collections.abc import Sequence

from patron.sdk import create_custom_values_indexes, drop_custom_values_indexes

revision: str = "0005_sales_custom_values_gin"
down_revision: str | Sequence[str] | None = "0004_sales_report_totals"
branch_labels: str | Sequence[str] | None = None
# The core's search migration creates btree_gin (for tenant_id in the index) where it may.
depends_on: str | Sequence[str] | None = "0007_search"

TABLES = ("sales_leads", "sales_opportunities", "sales_contracts")


def upgrade() -> None:
    # PostgreSQL only: see patron.db.indexes.custom_values_index.
    create_custom_values_indexes(TABLES)


def downgrade() -> None:
    drop_custom_values_indexes(TABLES)
