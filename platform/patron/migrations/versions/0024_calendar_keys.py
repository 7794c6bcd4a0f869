"""users.calendar_key_hash: the key of a user's calendar feed, hashed

Revision ID: 0024_calendar_keys
Revises: 0023_activity_reminders
Create Date: 2026-12-07 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_calendar_keys"
down_revision: str | Sequence[str] | None = "0023_activity_reminders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN: a batch rebuild of ``users`` on SQLite would drop the table
    # every other one refers to.
    op.add_column("users", sa.Column("calendar_key_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN calendar_key_hash")
