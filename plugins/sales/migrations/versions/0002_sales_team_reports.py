"""sales: the record of team summaries mailed, one row per period

Revision ID: 0002_sales_team_reports
Revises: 0001_sales
Create Date: 2026-11-26 16:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from patron.sdk import UTCDateTimeColumn

revision: str = "0002_sales_team_reports"
down_revision: str | Sequence[str] | None = "0001_sales"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sales_team_report_runs",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("sent_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_sales_team_report_runs_tenant_id_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_team_report_runs")),
        sa.UniqueConstraint("tenant_id", "period", "period_start",
                            name=op.f("uq_sales_team_report_runs_tenant_id_period_period_start")),
    )


def downgrade() -> None:
    op.drop_table("sales_team_report_runs")
