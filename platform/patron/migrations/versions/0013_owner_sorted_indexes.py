"""Indexes for a rep's own accounts and contacts sorted by name

Revision ID: 0013_owner_sorted_indexes
Revises: 0012_tenant_config_version
Create Date: 2026-11-26 18:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_owner_sorted_indexes"
down_revision: str | Sequence[str] | None = "0012_tenant_config_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_accounts_owner_name", "accounts",
                    ["tenant_id", "owner_id", "name", "id"])
    op.create_index("ix_contacts_owner_last_name", "contacts",
                    ["tenant_id", "owner_id", "last_name", "id"])


def downgrade() -> None:
    op.drop_index("ix_contacts_owner_last_name", table_name="contacts")
    op.drop_index("ix_accounts_owner_name", table_name="accounts")
