"""service: service contracts and warranties, and the contract that entitles a ticket

Revision ID: 0003_service_contracts
Revises: 0002_service_articles
Create Date: 2026-11-26 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from patron.sdk import UTCDateTimeColumn

revision: str = '0003_service_contracts'
down_revision: str | Sequence[str] | None = '0002_service_articles'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('service_contracts',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('sla_policy_id', sa.Uuid(), nullable=True),
    sa.Column('custom', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_service_contracts_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_service_contracts_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id', 'sla_policy_id'], ['service_sla_policies.tenant_id', 'service_sla_policies.id'], name=op.f('fk_service_contracts_tenant_id_sla_policy_id_service_sla_policies')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_contracts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_service_contracts'))
    )
    op.create_index('ix_service_contracts_account', 'service_contracts', ['tenant_id', 'account_id', 'ends_on'], unique=False)

    with op.batch_alter_table('service_tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entitlement_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_service_tickets_tenant_id_entitlement_id_service_contracts'), 'service_contracts', ['tenant_id', 'entitlement_id'], ['tenant_id', 'id'])
        batch_op.create_index('ix_service_tickets_entitlement', ['tenant_id', 'entitlement_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('service_tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_service_tickets_entitlement')
        batch_op.drop_constraint(batch_op.f('fk_service_tickets_tenant_id_entitlement_id_service_contracts'), type_='foreignkey')
        batch_op.drop_column('entitlement_id')

    op.drop_index('ix_service_contracts_account', table_name='service_contracts')

    op.drop_table('service_contracts')
