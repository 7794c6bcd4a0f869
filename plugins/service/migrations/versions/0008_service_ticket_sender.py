"""service: the address a public support form was sent from

Revision ID: 0008_service_ticket_sender
Revises: 0007_service_custom_values_gin
Create Date: 2026-12-07 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_service_ticket_sender"
down_revision: str | Sequence[str] | None = "0007_service_custom_values_gin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("service_tickets", sa.Column("sender_email", sa.String(254), nullable=True))


def downgrade() -> None:
    op.drop_column("service_tickets", "sender_email")
