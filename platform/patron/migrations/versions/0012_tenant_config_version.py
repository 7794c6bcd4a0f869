"""tenants.config_version: the key of the shared configuration cache

Revision ID: 0012_tenant_config_version
Revises: 0011_custom_values_gin
Create Date: 2026-11-26 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_tenant_config_version"
down_revision: str | Sequence[str] | None = "0011_custom_values_gin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("config_version", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("config_version")
