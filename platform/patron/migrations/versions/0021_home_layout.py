"""users.home_layout: how a user arranged the home page's widgets

Revision ID: 0021_home_layout
Revises: 0020_api_tokens_user_index
Create Date: 2026-12-07 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021_home_layout"
down_revision: str | Sequence[str] | None = "0020_api_tokens_user_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN on both databases: a batch rebuild of ``users`` on SQLite would
    # drop the table every other one refers to.
    op.add_column("users", sa.Column(
        "home_layout", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN home_layout")
