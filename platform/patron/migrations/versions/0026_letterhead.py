"""tenants.address, tax_number, logo and logo_type: the letterhead of the tenant's documents

Revision ID: 0026_letterhead
Revises: 0025_bulk_jobs
Create Date: 2026-12-07 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_letterhead"
down_revision: str | Sequence[str] | None = "0025_bulk_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("address", "tax_number", "logo", "logo_type")


def upgrade() -> None:
    # Plain ADD/DROP COLUMN: a batch rebuild of ``tenants`` on SQLite would drop the table
    # every other one refers to.
    op.add_column("tenants", sa.Column("address", sa.Text(), nullable=True))
    op.add_column("tenants", sa.Column("tax_number", sa.String(length=64), nullable=True))
    op.add_column("tenants", sa.Column("logo", sa.LargeBinary(), nullable=True))
    op.add_column("tenants", sa.Column("logo_type", sa.String(length=32), nullable=True))


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE tenants DROP COLUMN {column}")
