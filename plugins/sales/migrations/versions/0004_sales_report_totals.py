"""sales: running totals of the forecast and the funnel, filled from the existing deals

Revision ID: 0004_sales_report_totals
Revises: 0003_sales_pool
Create Date: 2026-11-26 18:00:00

The backfill uses :func:`patron_sales.services.report_totals.backfill`, the same aggregate the
application keeps the totals with, so a database upgraded with deals in it reports exactly
what one that made them after the upgrade does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_sales_report_totals"
down_revision: str | Sequence[str] | None = "0003_sales_pool"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(["tenant_id", "owner_id"], ["users.tenant_id", "users.id"],
                                name=op.f(f"fk_{table}_tenant_id_owner_id_users")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
    ]


def _group_columns() -> list[sa.Column]:
    return [sa.Column("pipeline_id", sa.Uuid(), nullable=False),
            sa.Column("owner_id", sa.Uuid(), nullable=True)]


def _id_columns() -> list[sa.Column]:
    return [sa.Column("tenant_id", sa.Uuid(), nullable=False),
            sa.Column("id", sa.Uuid(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "sales_forecast_totals",
        *_group_columns(),
        sa.Column("close_month", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=24, scale=4), nullable=False),
        sa.Column("weighted", sa.Numeric(precision=24, scale=6), nullable=False),
        *_id_columns(),
        *_keys("sales_forecast_totals"),
    )
    op.create_index("ix_sales_forecast_totals_key", "sales_forecast_totals",
                    ["tenant_id", "pipeline_id", "owner_id", "close_month", "category",
                     "currency"], unique=False)
    op.create_table(
        "sales_funnel_totals",
        *_group_columns(),
        sa.Column("created_month", sa.Integer(), nullable=False),
        sa.Column("furthest_stage_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=24, scale=4), nullable=False),
        sa.Column("cycle_days", sa.Float(), nullable=False),
        *_id_columns(),
        *_keys("sales_funnel_totals"),
    )
    op.create_index("ix_sales_funnel_totals_key", "sales_funnel_totals",
                    ["tenant_id", "pipeline_id", "owner_id", "created_month",
                     "furthest_stage_id", "status", "currency"], unique=False)
    op.create_table(
        "sales_stage_time_totals",
        *_group_columns(),
        sa.Column("created_month", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Uuid(), nullable=False),
        sa.Column("stays", sa.Integer(), nullable=False),
        sa.Column("days", sa.Float(), nullable=False),
        *_id_columns(),
        *_keys("sales_stage_time_totals"),
    )
    op.create_index("ix_sales_stage_time_totals_key", "sales_stage_time_totals",
                    ["tenant_id", "pipeline_id", "owner_id", "created_month", "stage_id"],
                    unique=False)

    # Imported here on purpose: Alembic reads every revision file to build its history, and
    # only this upgrade needs the module's code (the aggregate the application keeps).
    from patron_sales.services.report_totals import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    for table in ("sales_stage_time_totals", "sales_funnel_totals", "sales_forecast_totals"):
        op.drop_index(f"ix_{table}_key", table_name=table)
        op.drop_table(table)
