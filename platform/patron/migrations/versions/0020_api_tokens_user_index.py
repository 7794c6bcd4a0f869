"""api_tokens: an index on (tenant_id, user_id)

A user's tokens are listed, counted per hour (the creation limit), revoked at a password
change and deleted with the user; each read them by user without an index.

Revision ID: 0020_api_tokens_user_index
Revises: 0019_account_throttling
Create Date: 2026-12-07 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020_api_tokens_user_index"
down_revision: str | Sequence[str] | None = "0019_account_throttling"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_api_tokens_user", "api_tokens", ["tenant_id", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_user", table_name="api_tokens")
