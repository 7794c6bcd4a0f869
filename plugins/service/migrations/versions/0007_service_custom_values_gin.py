"""service: GIN indexes on the custom values of tickets, work orders and technicians
(PostgreSQL)

Revision ID: 0007_service_custom_values_gin
Revises: 0006_service_ticket_replies
Create Date: 2026-11-26 18:30:00
"""

from collections.abc import Sequence

from patron.sdk import create_custom_values_indexes, drop_custom_values_indexes

revision: str = "0007_service_custom_values_gin"
down_revision: str | Sequence[str] | None = "0006_service_ticket_replies"
branch_labels: str | Sequence[str] | None = None
# The core's search migration creates btree_gin (for tenant_id in the index) where it may.
depends_on: str | Sequence[str] | None = "0007_search"

TABLES = ("service_tickets", "service_work_orders", "service_technicians")


def upgrade() -> None:
    # PostgreSQL only: see patron.db.indexes.custom_values_index.
    create_custom_values_indexes(TABLES)


def downgrade() -> None:
    drop_custom_values_indexes(TABLES)
