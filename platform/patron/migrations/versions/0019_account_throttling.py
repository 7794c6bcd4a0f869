"""users: failed_sign_ins and failed_sign_in_at, wrong passwords counted per account

Revision ID: 0019_account_throttling
Revises: 0018_outbox_claim_function
Create Date: 2026-12-07 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import patron.db.types

revision: str = '0019_account_throttling'
down_revision: str | Sequence[str] | None = '0018_outbox_claim_function'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN on both databases: a batch rebuild of ``users`` on SQLite would
    # drop the table every other one refers to.
    op.add_column('users', sa.Column('failed_sign_ins', sa.Integer(), server_default='0',
                                     nullable=False))
    op.add_column('users', sa.Column('failed_sign_in_at',
                                     patron.db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.execute('ALTER TABLE users DROP COLUMN failed_sign_in_at')
    op.execute('ALTER TABLE users DROP COLUMN failed_sign_ins')
