"""bulk_jobs and bulk_items: a list's bulk actions and the records each goes over

Revision ID: 0025_bulk_jobs
Revises: 0024_calendar_keys
Create Date: 2026-12-07 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import patron.db.types

revision: str = "0025_bulk_jobs"
down_revision: str | Sequence[str] | None = "0024_calendar_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    moment = patron.db.types.UTCDateTime(timezone=True)
    op.create_table(
        "bulk_jobs",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.Column("refused_count", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("started_at", moment, nullable=True),
        sa.Column("finished_at", moment, nullable=True),
        sa.Column("heartbeat_at", moment, nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_at", moment, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "owner_id"], ["users.tenant_id", "users.id"],
                                name=op.f("fk_bulk_jobs_tenant_id_owner_id_users")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_bulk_jobs_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_bulk_jobs")),
    )
    op.create_index("ix_bulk_jobs_owner", "bulk_jobs", ["tenant_id", "owner_id"])
    op.create_index("ix_bulk_jobs_status", "bulk_jobs", ["tenant_id", "status"])
    op.create_table(
        "bulk_items",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id", "job_id"], ["bulk_jobs.tenant_id", "bulk_jobs.id"],
                                name=op.f("fk_bulk_items_tenant_id_job_id_bulk_jobs"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_bulk_items_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_bulk_items")),
        sa.UniqueConstraint("tenant_id", "job_id", "record_id",
                            name=op.f("uq_bulk_items_tenant_id_job_id_record_id")),
    )
    op.create_index("ix_bulk_items_outcome", "bulk_items", ["tenant_id", "job_id", "outcome"])


def downgrade() -> None:
    op.drop_index("ix_bulk_items_outcome", table_name="bulk_items")
    op.drop_table("bulk_items")
    op.drop_index("ix_bulk_jobs_status", table_name="bulk_jobs")
    op.drop_index("ix_bulk_jobs_owner", table_name="bulk_jobs")
    op.drop_table("bulk_jobs")
