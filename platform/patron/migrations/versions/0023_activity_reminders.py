"""activities: reminded_at, and indexes on the due and start times

Revision ID: 0023_activity_reminders
Revises: 0022_notifications
Create Date: 2026-12-07 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import patron.db.types

revision: str = "0023_activity_reminders"
down_revision: str | Sequence[str] | None = "0022_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("activities", sa.Column(
        "reminded_at", patron.db.types.UTCDateTime(timezone=True), nullable=True))
    op.create_index("ix_activities_due", "activities", ["tenant_id", "due_at"])
    op.create_index("ix_activities_start", "activities", ["tenant_id", "start_at"])


def downgrade() -> None:
    op.drop_index("ix_activities_start", table_name="activities")
    op.drop_index("ix_activities_due", table_name="activities")
    op.execute("ALTER TABLE activities DROP COLUMN reminded_at")
