"""service: the tenant's ticket workflow settings (the status the first reply moves to)

Revision ID: 0009_service_settings
Revises: 0008_service_ticket_sender
Create Date: 2026-12-07 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from patron.sdk import UTCDateTimeColumn

revision: str = "0009_service_settings"
down_revision: str | Sequence[str] | None = "0008_service_ticket_sender"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_settings",
        sa.Column("first_reply_status", sa.String(length=24), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_service_settings_tenant_id_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_service_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_service_settings_tenant_id")),
    )


def downgrade() -> None:
    op.drop_table("service_settings")
