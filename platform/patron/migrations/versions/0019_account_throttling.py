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
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('failed_sign_ins', sa.Integer(), server_default='0',
                                   nullable=False))
        batch.add_column(sa.Column('failed_sign_in_at',
                                   patron.db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('failed_sign_in_at')
        batch.drop_column('failed_sign_ins')
