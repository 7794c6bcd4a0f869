"""service: SLA escalation (a policy may raise a breached ticket's priority; a queue's lead
hears of its breaches)

Revision ID: 0004_service_escalation
Revises: 0003_service_contracts
Create Date: 2026-11-26 15:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_service_escalation'
down_revision: str | Sequence[str] | None = '0003_service_contracts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('service_sla_policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('raise_priority', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('service_queues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_service_queues_tenant_id_lead_id_users'), 'users', ['tenant_id', 'lead_id'], ['tenant_id', 'id'])


def downgrade() -> None:
    with op.batch_alter_table('service_queues', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_queues_tenant_id_lead_id_users'), type_='foreignkey')
        batch_op.drop_column('lead_id')

    with op.batch_alter_table('service_sla_policies', schema=None) as batch_op:
        batch_op.drop_column('raise_priority')
