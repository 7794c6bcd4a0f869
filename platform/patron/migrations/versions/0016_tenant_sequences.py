"""tenant_sequences: the counters of the numbers documents carry (an order's SO-00042)

Revision ID: 0016_tenant_sequences
Revises: 0015_search_functions
Create Date: 2026-12-07 13:28:27.237085
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016_tenant_sequences'
down_revision: str | Sequence[str] | None = '0015_search_functions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tenant_sequences',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tenant_sequences_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_tenant_sequences')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_tenant_sequences_tenant_id_key'))
    )


def downgrade() -> None:
    op.drop_table('tenant_sequences')
