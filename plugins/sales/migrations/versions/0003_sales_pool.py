"""sales: the customer pool (pool rules, claim limits, the record of every move)

Revision ID: 0003_sales_pool
Revises: 0002_sales_team_reports
Create Date: 2026-11-26 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from patron.sdk import UTCDateTimeColumn

revision: str = "0003_sales_pool"
down_revision: str | Sequence[str] | None = "0002_sales_team_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _tenant_keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
    ]


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id", column], ["users.tenant_id", "users.id"],
                                   name=op.f(f"fk_{table}_tenant_id_{column}_users"))


def upgrade() -> None:
    op.create_table(
        "sales_pool_rules",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("account_status", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_record_columns(),
        *_tenant_keys("sales_pool_rules"),
    )
    op.create_index("ix_sales_pool_rules_active", "sales_pool_rules", ["tenant_id", "active"],
                    unique=False)

    op.create_table(
        "sales_pool_settings",
        sa.Column("claim_limits", sa.JSON().with_variant(
            postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False),
        *_record_columns(),
        *_tenant_keys("sales_pool_settings"),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_sales_pool_settings_tenant_id")),
    )

    op.create_table(
        "sales_pool_moves",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("from_owner_id", sa.Uuid(), nullable=True),
        sa.Column("to_owner_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("moved_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("moved_by", sa.Uuid(), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"],
            name=op.f("fk_sales_pool_moves_tenant_id_account_id_accounts"), ondelete="CASCADE"),
        _user_fk("sales_pool_moves", "from_owner_id"),
        _user_fk("sales_pool_moves", "to_owner_id"),
        _user_fk("sales_pool_moves", "moved_by"),
        *_tenant_keys("sales_pool_moves"),
    )
    op.create_index("ix_sales_pool_moves_account", "sales_pool_moves",
                    ["tenant_id", "account_id", "moved_at"], unique=False)
    op.create_index("ix_sales_pool_moves_to_owner", "sales_pool_moves",
                    ["tenant_id", "to_owner_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sales_pool_moves_to_owner", table_name="sales_pool_moves")
    op.drop_index("ix_sales_pool_moves_account", table_name="sales_pool_moves")
    op.drop_table("sales_pool_moves")
    op.drop_table("sales_pool_settings")
    op.drop_index("ix_sales_pool_rules_active", table_name="sales_pool_rules")
    op.drop_table("sales_pool_rules")
