"""sales: a deal says whether its amount is the sum of its product lines

Existing deals keep following their lines, as they did.

Revision ID: 0008_sales_amount_from_lines
Revises: 0007_sales_win_on_quote_accept
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_sales_amount_from_lines"
down_revision: str | Sequence[str] | None = "0007_sales_win_on_quote_accept"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sales_opportunities", sa.Column("amount_from_lines", sa.Boolean(),
                                                   server_default=sa.true(), nullable=False))


def downgrade() -> None:
    # Plain DROP COLUMN: a batch rebuild on SQLite would drop the table others refer to.
    op.execute("ALTER TABLE sales_opportunities DROP COLUMN amount_from_lines")
