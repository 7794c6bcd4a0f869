"""sales: pipelines, stages, leads, opportunities and their details, stage history, quotas,
price lists, quotes, orders and contracts

The first revision of the ``sales`` branch: it depends on the core's customer master
(accounts, contacts, products) but is not part of the core's history.

Revision ID: 0001_sales
Revises: 
Create Date: 2026-11-26 15:19:18.082499
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from patron.sdk import UTCDateTimeColumn

revision: str = '0001_sales'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ('sales',)
depends_on: str | Sequence[str] | None = '0004_customer_master'


def upgrade() -> None:
    op.create_table('sales_pipelines',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_pipelines_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_pipelines'))
    )
    op.create_index('ix_sales_pipelines_name', 'sales_pipelines', ['tenant_id', 'name'], unique=False)

    op.create_table('sales_price_lists',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_price_lists_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_price_lists')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_sales_price_lists_tenant_id_name'))
    )
    op.create_table('sales_settings',
    sa.Column('quote_discount_threshold', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('contract_value_threshold', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_settings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_sales_settings_tenant_id'))
    )
    op.create_table('sales_price_list_items',
    sa.Column('price_list_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'price_list_id'], ['sales_price_lists.tenant_id', 'sales_price_lists.id'], name=op.f('fk_sales_price_list_items_tenant_id_price_list_id_sales_price_lists'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_sales_price_list_items_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_price_list_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_price_list_items')),
    sa.UniqueConstraint('tenant_id', 'price_list_id', 'product_id', name=op.f('uq_sales_price_list_items_tenant_id_price_list_id_product_id'))
    )
    op.create_index('ix_sales_price_list_items_product', 'sales_price_list_items', ['tenant_id', 'product_id'], unique=False)

    op.create_table('sales_stages',
    sa.Column('pipeline_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('stalled_after_days', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'pipeline_id'], ['sales_pipelines.tenant_id', 'sales_pipelines.id'], name=op.f('fk_sales_stages_tenant_id_pipeline_id_sales_pipelines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_stages_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_stages'))
    )
    op.create_index('ix_sales_stages_pipeline', 'sales_stages', ['tenant_id', 'pipeline_id', 'position'], unique=False)

    op.create_table('sales_quotas',
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_quotas_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_quotas_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_quotas')),
    sa.UniqueConstraint('tenant_id', 'owner_id', 'period_start', 'currency', name=op.f('uq_sales_quotas_tenant_id_owner_id_period_start_currency'))
    )
    op.create_index('ix_sales_quotas_owner', 'sales_quotas', ['tenant_id', 'owner_id'], unique=False)
    op.create_index('ix_sales_quotas_period', 'sales_quotas', ['tenant_id', 'period_start'], unique=False)

    op.create_table('sales_opportunities',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('pipeline_id', sa.Uuid(), nullable=False),
    sa.Column('stage_id', sa.Uuid(), nullable=False),
    sa.Column('furthest_stage_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('price_list_id', sa.Uuid(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('expected_close_date', sa.Date(), nullable=True),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('forecast_category', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('campaign', sa.String(length=200), nullable=True),
    sa.Column('next_step', sa.String(length=500), nullable=True),
    sa.Column('win_loss_reason', sa.String(length=500), nullable=True),
    sa.Column('stage_entered_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('stalled_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('closed_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('custom', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_sales_opportunities_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'furthest_stage_id'], ['sales_stages.tenant_id', 'sales_stages.id'], name=op.f('fk_sales_opportunities_tenant_id_furthest_stage_id_sales_stages')),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_opportunities_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'pipeline_id'], ['sales_pipelines.tenant_id', 'sales_pipelines.id'], name=op.f('fk_sales_opportunities_tenant_id_pipeline_id_sales_pipelines')),
    sa.ForeignKeyConstraint(['tenant_id', 'price_list_id'], ['sales_price_lists.tenant_id', 'sales_price_lists.id'], name=op.f('fk_sales_opportunities_tenant_id_price_list_id_sales_price_lists')),
    sa.ForeignKeyConstraint(['tenant_id', 'stage_id'], ['sales_stages.tenant_id', 'sales_stages.id'], name=op.f('fk_sales_opportunities_tenant_id_stage_id_sales_stages')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_opportunities_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_opportunities'))
    )
    op.create_index('ix_sales_opportunities_account', 'sales_opportunities', ['tenant_id', 'account_id'], unique=False)
    op.create_index('ix_sales_opportunities_forecast', 'sales_opportunities', ['tenant_id', 'pipeline_id', 'expected_close_date', 'owner_id'], unique=False)
    op.create_index('ix_sales_opportunities_funnel', 'sales_opportunities', ['tenant_id', 'pipeline_id', 'created_at'], unique=False)
    op.create_index('ix_sales_opportunities_owner', 'sales_opportunities', ['tenant_id', 'owner_id'], unique=False)
    op.create_index('ix_sales_opportunities_stage', 'sales_opportunities', ['tenant_id', 'stage_id', 'stage_entered_at'], unique=False)

    op.create_table('sales_competitors',
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('weaknesses', sa.Text(), nullable=True),
    sa.Column('opportunities', sa.Text(), nullable=True),
    sa.Column('threats', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_competitors_tenant_id_opportunity_id_sales_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_competitors_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_competitors'))
    )
    op.create_index('ix_sales_competitors_opportunity', 'sales_competitors', ['tenant_id', 'opportunity_id'], unique=False)

    op.create_table('sales_leads',
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('company', sa.String(length=200), nullable=True),
    sa.Column('domain', sa.String(length=253), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rating', sa.String(length=8), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('converted_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('custom', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_sales_leads_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'contact_id'], ['contacts.tenant_id', 'contacts.id'], name=op.f('fk_sales_leads_tenant_id_contact_id_contacts')),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_leads_tenant_id_opportunity_id_sales_opportunities')),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_leads_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_leads_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_leads'))
    )
    op.create_index('ix_sales_leads_email', 'sales_leads', ['tenant_id', 'email'], unique=False)
    op.create_index('ix_sales_leads_last_name', 'sales_leads', ['tenant_id', 'last_name'], unique=False)
    op.create_index('ix_sales_leads_owner', 'sales_leads', ['tenant_id', 'owner_id'], unique=False)
    op.create_index('ix_sales_leads_status', 'sales_leads', ['tenant_id', 'status'], unique=False)

    op.create_table('sales_opportunity_contacts',
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'contact_id'], ['contacts.tenant_id', 'contacts.id'], name=op.f('fk_sales_opportunity_contacts_tenant_id_contact_id_contacts')),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_opportunity_contacts_tenant_id_opportunity_id_sales_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_opportunity_contacts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_opportunity_contacts')),
    sa.UniqueConstraint('tenant_id', 'opportunity_id', 'contact_id', name=op.f('uq_sales_opportunity_contacts_tenant_id_opportunity_id_contact_id'))
    )
    op.create_index('ix_sales_opportunity_contacts_contact', 'sales_opportunity_contacts', ['tenant_id', 'contact_id'], unique=False)

    op.create_table('sales_opportunity_lines',
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_opportunity_lines_tenant_id_opportunity_id_sales_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_sales_opportunity_lines_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_opportunity_lines_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_opportunity_lines'))
    )
    op.create_index('ix_sales_opportunity_lines_opportunity', 'sales_opportunity_lines', ['tenant_id', 'opportunity_id'], unique=False)
    op.create_index('ix_sales_opportunity_lines_product', 'sales_opportunity_lines', ['tenant_id', 'product_id'], unique=False)

    op.create_table('sales_opportunity_members',
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_opportunity_members_tenant_id_opportunity_id_sales_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'user_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_opportunity_members_tenant_id_user_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_opportunity_members_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_opportunity_members')),
    sa.UniqueConstraint('tenant_id', 'opportunity_id', 'user_id', name=op.f('uq_sales_opportunity_members_tenant_id_opportunity_id_user_id'))
    )
    op.create_index('ix_sales_opportunity_members_user', 'sales_opportunity_members', ['tenant_id', 'user_id'], unique=False)

    op.create_table('sales_quotes',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('price_list_id', sa.Uuid(), nullable=True),
    sa.Column('previous_id', sa.Uuid(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('tax_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('discount_amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('sent_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('decided_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_sales_quotes_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_quotes_tenant_id_opportunity_id_sales_opportunities')),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_quotes_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'previous_id'], ['sales_quotes.tenant_id', 'sales_quotes.id'], name=op.f('fk_sales_quotes_tenant_id_previous_id_sales_quotes')),
    sa.ForeignKeyConstraint(['tenant_id', 'price_list_id'], ['sales_price_lists.tenant_id', 'sales_price_lists.id'], name=op.f('fk_sales_quotes_tenant_id_price_list_id_sales_price_lists')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_quotes_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_quotes'))
    )
    op.create_index('ix_sales_quotes_opportunity', 'sales_quotes', ['tenant_id', 'opportunity_id'], unique=False)
    op.create_index('ix_sales_quotes_owner', 'sales_quotes', ['tenant_id', 'owner_id'], unique=False)
    op.create_index('ix_sales_quotes_status', 'sales_quotes', ['tenant_id', 'status', 'valid_until'], unique=False)

    op.create_table('sales_stage_history',
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('stage_id', sa.Uuid(), nullable=False),
    sa.Column('entered_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('exited_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('moved_by', sa.Uuid(), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'moved_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_stage_history_tenant_id_moved_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_stage_history_tenant_id_opportunity_id_sales_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'stage_id'], ['sales_stages.tenant_id', 'sales_stages.id'], name=op.f('fk_sales_stage_history_tenant_id_stage_id_sales_stages')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_stage_history_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_stage_history'))
    )
    op.create_index('ix_sales_stage_history_opportunity', 'sales_stage_history', ['tenant_id', 'opportunity_id', 'entered_at'], unique=False)
    op.create_index('ix_sales_stage_history_stage', 'sales_stage_history', ['tenant_id', 'stage_id'], unique=False)

    op.create_table('sales_orders',
    sa.Column('quote_id', sa.Uuid(), nullable=True),
    sa.Column('opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('ordered_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_sales_orders_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_orders_tenant_id_opportunity_id_sales_opportunities')),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_orders_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'quote_id'], ['sales_quotes.tenant_id', 'sales_quotes.id'], name=op.f('fk_sales_orders_tenant_id_quote_id_sales_quotes')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_orders_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_orders')),
    sa.UniqueConstraint('tenant_id', 'quote_id', name=op.f('uq_sales_orders_tenant_id_quote_id'))
    )
    op.create_index('ix_sales_orders_account', 'sales_orders', ['tenant_id', 'account_id'], unique=False)
    op.create_index('ix_sales_orders_opportunity', 'sales_orders', ['tenant_id', 'opportunity_id'], unique=False)
    op.create_index('ix_sales_orders_owner', 'sales_orders', ['tenant_id', 'owner_id'], unique=False)

    op.create_table('sales_quote_lines',
    sa.Column('quote_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_sales_quote_lines_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id', 'quote_id'], ['sales_quotes.tenant_id', 'sales_quotes.id'], name=op.f('fk_sales_quote_lines_tenant_id_quote_id_sales_quotes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_quote_lines_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_quote_lines'))
    )
    op.create_index('ix_sales_quote_lines_product', 'sales_quote_lines', ['tenant_id', 'product_id'], unique=False)
    op.create_index('ix_sales_quote_lines_quote', 'sales_quote_lines', ['tenant_id', 'quote_id'], unique=False)

    op.create_table('sales_contracts',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('renewal_date', sa.Date(), nullable=True),
    sa.Column('renewal_notified_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('custom', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_sales_contracts_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'opportunity_id'], ['sales_opportunities.tenant_id', 'sales_opportunities.id'], name=op.f('fk_sales_contracts_tenant_id_opportunity_id_sales_opportunities')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['sales_orders.tenant_id', 'sales_orders.id'], name=op.f('fk_sales_contracts_tenant_id_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_contracts_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_contracts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_contracts'))
    )
    op.create_index('ix_sales_contracts_account', 'sales_contracts', ['tenant_id', 'account_id'], unique=False)
    op.create_index('ix_sales_contracts_owner', 'sales_contracts', ['tenant_id', 'owner_id'], unique=False)
    op.create_index('ix_sales_contracts_renewal', 'sales_contracts', ['tenant_id', 'status', 'renewal_date'], unique=False)

    op.create_table('sales_approvals',
    sa.Column('quote_id', sa.Uuid(), nullable=True),
    sa.Column('contract_id', sa.Uuid(), nullable=True),
    sa.Column('requested_by', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('decided_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['sales_contracts.tenant_id', 'sales_contracts.id'], name=op.f('fk_sales_approvals_tenant_id_contract_id_sales_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_approvals_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'quote_id'], ['sales_quotes.tenant_id', 'sales_quotes.id'], name=op.f('fk_sales_approvals_tenant_id_quote_id_sales_quotes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'requested_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_sales_approvals_tenant_id_requested_by_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_approvals_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_approvals'))
    )
    op.create_index('ix_sales_approvals_contract', 'sales_approvals', ['tenant_id', 'contract_id'], unique=False)
    op.create_index('ix_sales_approvals_owner', 'sales_approvals', ['tenant_id', 'owner_id'], unique=False)
    op.create_index('ix_sales_approvals_quote', 'sales_approvals', ['tenant_id', 'quote_id'], unique=False)

    op.create_table('sales_instalments',
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('received_amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('overdue_at', UTCDateTimeColumn(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['sales_contracts.tenant_id', 'sales_contracts.id'], name=op.f('fk_sales_instalments_tenant_id_contract_id_sales_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_instalments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_instalments'))
    )
    op.create_index('ix_sales_instalments_contract', 'sales_instalments', ['tenant_id', 'contract_id', 'due_date'], unique=False)
    op.create_index('ix_sales_instalments_due', 'sales_instalments', ['tenant_id', 'due_date'], unique=False)

    op.create_table('sales_payments',
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTimeColumn(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['sales_contracts.tenant_id', 'sales_contracts.id'], name=op.f('fk_sales_payments_tenant_id_contract_id_sales_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sales_payments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sales_payments'))
    )
    op.create_index('ix_sales_payments_contract', 'sales_payments', ['tenant_id', 'contract_id'], unique=False)



def downgrade() -> None:
    op.drop_index('ix_sales_payments_contract', table_name='sales_payments')

    op.drop_table('sales_payments')
    op.drop_index('ix_sales_instalments_due', table_name='sales_instalments')
    op.drop_index('ix_sales_instalments_contract', table_name='sales_instalments')

    op.drop_table('sales_instalments')
    op.drop_index('ix_sales_approvals_quote', table_name='sales_approvals')
    op.drop_index('ix_sales_approvals_owner', table_name='sales_approvals')
    op.drop_index('ix_sales_approvals_contract', table_name='sales_approvals')

    op.drop_table('sales_approvals')
    op.drop_index('ix_sales_contracts_renewal', table_name='sales_contracts')
    op.drop_index('ix_sales_contracts_owner', table_name='sales_contracts')
    op.drop_index('ix_sales_contracts_account', table_name='sales_contracts')

    op.drop_table('sales_contracts')
    op.drop_index('ix_sales_quote_lines_quote', table_name='sales_quote_lines')
    op.drop_index('ix_sales_quote_lines_product', table_name='sales_quote_lines')

    op.drop_table('sales_quote_lines')
    op.drop_index('ix_sales_orders_owner', table_name='sales_orders')
    op.drop_index('ix_sales_orders_opportunity', table_name='sales_orders')
    op.drop_index('ix_sales_orders_account', table_name='sales_orders')

    op.drop_table('sales_orders')
    op.drop_index('ix_sales_stage_history_stage', table_name='sales_stage_history')
    op.drop_index('ix_sales_stage_history_opportunity', table_name='sales_stage_history')

    op.drop_table('sales_stage_history')
    op.drop_index('ix_sales_quotes_status', table_name='sales_quotes')
    op.drop_index('ix_sales_quotes_owner', table_name='sales_quotes')
    op.drop_index('ix_sales_quotes_opportunity', table_name='sales_quotes')

    op.drop_table('sales_quotes')
    op.drop_index('ix_sales_opportunity_members_user', table_name='sales_opportunity_members')

    op.drop_table('sales_opportunity_members')
    op.drop_index('ix_sales_opportunity_lines_product', table_name='sales_opportunity_lines')
    op.drop_index('ix_sales_opportunity_lines_opportunity', table_name='sales_opportunity_lines')

    op.drop_table('sales_opportunity_lines')
    op.drop_index('ix_sales_opportunity_contacts_contact', table_name='sales_opportunity_contacts')

    op.drop_table('sales_opportunity_contacts')
    op.drop_index('ix_sales_leads_status', table_name='sales_leads')
    op.drop_index('ix_sales_leads_owner', table_name='sales_leads')
    op.drop_index('ix_sales_leads_last_name', table_name='sales_leads')
    op.drop_index('ix_sales_leads_email', table_name='sales_leads')

    op.drop_table('sales_leads')
    op.drop_index('ix_sales_competitors_opportunity', table_name='sales_competitors')

    op.drop_table('sales_competitors')
    op.drop_index('ix_sales_opportunities_stage', table_name='sales_opportunities')
    op.drop_index('ix_sales_opportunities_owner', table_name='sales_opportunities')
    op.drop_index('ix_sales_opportunities_funnel', table_name='sales_opportunities')
    op.drop_index('ix_sales_opportunities_forecast', table_name='sales_opportunities')
    op.drop_index('ix_sales_opportunities_account', table_name='sales_opportunities')

    op.drop_table('sales_opportunities')
    op.drop_index('ix_sales_quotas_period', table_name='sales_quotas')
    op.drop_index('ix_sales_quotas_owner', table_name='sales_quotas')

    op.drop_table('sales_quotas')
    op.drop_index('ix_sales_stages_pipeline', table_name='sales_stages')

    op.drop_table('sales_stages')
    op.drop_index('ix_sales_price_list_items_product', table_name='sales_price_list_items')

    op.drop_table('sales_price_list_items')
    op.drop_table('sales_settings')
    op.drop_table('sales_price_lists')
    op.drop_index('ix_sales_pipelines_name', table_name='sales_pipelines')

    op.drop_table('sales_pipelines')
