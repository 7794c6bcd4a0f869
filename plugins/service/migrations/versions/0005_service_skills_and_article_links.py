"""service: what a ticket needs of its assignee (skills, region) for the skill_region rule,
and the knowledge-base articles linked to tickets

Revision ID: 0005_service_skills_articles
Revises: 0004_service_escalation
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from patron.sdk import UTCDateTimeColumn

revision: str = '0005_service_skills_articles'
down_revision: str | Sequence[str] | None = '0004_service_escalation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    # Existing tickets need nothing: the server default fills them, then goes (the model
    # supplies the value from now on), as the core's 0004 does for account addresses.
    with op.batch_alter_table('service_tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_skills', JSON, nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('region', sa.String(length=100), nullable=True))
    with op.batch_alter_table('service_tickets', schema=None) as batch_op:
        batch_op.alter_column('required_skills', server_default=None)

    op.create_table('service_ticket_articles',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('article_id', sa.Uuid(), nullable=False),
    sa.Column('linked_by', sa.Uuid(), nullable=True),
    sa.Column('linked_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'article_id'], ['service_articles.tenant_id', 'service_articles.id'], name=op.f('fk_service_ticket_articles_tenant_id_article_id_service_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'linked_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_service_ticket_articles_tenant_id_linked_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'ticket_id'], ['service_tickets.tenant_id', 'service_tickets.id'], name=op.f('fk_service_ticket_articles_tenant_id_ticket_id_service_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_ticket_articles_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_service_ticket_articles')),
    sa.UniqueConstraint('tenant_id', 'ticket_id', 'article_id', name=op.f('uq_service_ticket_articles_tenant_id_ticket_id_article_id'))
    )
    op.create_index('ix_service_ticket_articles_article', 'service_ticket_articles', ['tenant_id', 'article_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_service_ticket_articles_article', table_name='service_ticket_articles')
    op.drop_table('service_ticket_articles')
    with op.batch_alter_table('service_tickets', schema=None) as batch_op:
        batch_op.drop_column('region')
        batch_op.drop_column('required_skills')
