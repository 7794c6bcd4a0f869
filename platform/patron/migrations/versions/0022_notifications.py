"""notifications, and users.notify_by_email

Revision ID: 0022_notifications
Revises: 0021_home_layout
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import patron.db.types

revision: str = "0022_notifications"
down_revision: str | Sequence[str] | None = "0021_home_layout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("created_at", patron.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", patron.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("mailed_at", patron.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_notifications_tenant_id_tenants"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"],
                                name=op.f("fk_notifications_tenant_id_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_user", "notifications",
                    ["tenant_id", "user_id", "created_at"])
    # Plain ADD/DROP COLUMN: a batch rebuild of ``users`` on SQLite would drop the table
    # every other one refers to.
    op.add_column("users", sa.Column("notify_by_email", sa.String(length=16),
                                     server_default="never", nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN notify_by_email")
    op.drop_index("ix_notifications_user", table_name="notifications")
    op.drop_table("notifications")
