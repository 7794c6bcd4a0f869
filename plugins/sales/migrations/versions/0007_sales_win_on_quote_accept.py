"""sales: a pipeline says whether accepting a quote wins the deal

Revision ID: 0007_sales_win_on_quote_accept
Revises: 0006_sales_order_numbers
Create Date: 2026-12-07 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_sales_win_on_quote_accept"
down_revision: str | Sequence[str] | None = "0006_sales_order_numbers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sales_pipelines", sa.Column("win_on_quote_accept", sa.Boolean(),
                                               server_default=sa.true(), nullable=False))


def downgrade() -> None:
    # Plain DROP COLUMN: a batch rebuild of ``sales_pipelines`` on SQLite would drop the table
    # the stages and deals refer to.
    op.execute("ALTER TABLE sales_pipelines DROP COLUMN win_on_quote_accept")
