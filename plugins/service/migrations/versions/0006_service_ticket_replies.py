"""service: replies on tickets — public ones to the customer and internal notes

Revision ID: 0006_service_ticket_replies
Revises: 0005_service_skills_articles
Create Date: 2026-11-28 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from patron.sdk import UTCDateTimeColumn

revision: str = '0006_service_ticket_replies'
down_revision: str | Sequence[str] | None = '0005_service_skills_articles'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('service_ticket_replies',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('mailed_to', sa.String(length=254), nullable=True),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'author_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_service_ticket_replies_tenant_id_author_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'ticket_id'], ['service_tickets.tenant_id', 'service_tickets.id'], name=op.f('fk_service_ticket_replies_tenant_id_ticket_id_service_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_ticket_replies_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_service_ticket_replies'))
    )
    op.create_index('ix_service_ticket_replies_ticket', 'service_ticket_replies', ['tenant_id', 'ticket_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_service_ticket_replies_ticket', table_name='service_ticket_replies')
    op.drop_table('service_ticket_replies')
