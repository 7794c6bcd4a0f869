"""user_sessions: remembered and last_seen_at, for sessions that end on the server

Revision ID: 0017_session_lifetimes
Revises: 0016_tenant_sequences
Create Date: 2026-12-07 16:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import patron.db.types

revision: str = '0017_session_lifetimes'
down_revision: str | Sequence[str] | None = '0016_tenant_sequences'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_sessions') as batch:
        batch.add_column(sa.Column('remembered', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
        batch.add_column(sa.Column('last_seen_at', patron.db.types.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_sessions') as batch:
        batch.drop_column('last_seen_at')
        batch.drop_column('remembered')
