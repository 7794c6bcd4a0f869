"""case-folded indexes for duplicate matching

Revision ID: 0010_folded_match_indexes
Revises: 0005_imports
Create Date: 2026-11-26 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_folded_match_indexes"
down_revision: str | Sequence[str] | None = "0005_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (index, table, column): imports and lead conversion look records up by lower(column).
FOLDED = (
    ("ix_accounts_name_folded", "accounts", "name"),
    ("ix_accounts_domain_folded", "accounts", "domain"),
    ("ix_contacts_email_folded", "contacts", "email"),
)


def upgrade() -> None:
    # PostgreSQL only: see patron.db.indexes.folded_indexes.
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, column in FOLDED:
        op.create_index(name, table, ["tenant_id", sa.text(f"lower({column})")])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _column in FOLDED:
        op.drop_index(name, table_name=table)
