"""hello greetings

The first revision of the ``hello`` branch: it depends on the core's tables (users, tenants)
but is not part of the core's history, so installing or removing the module never rewrites
anyone else's revisions.

Revision ID: 0001_hello
Revises:
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from patron.sdk import UTCDateTimeColumn

revision: str = "0001_hello"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("hello",)
depends_on: str | Sequence[str] | None = "0001_core"


def upgrade() -> None:
    op.create_table(
        "hello_greetings",
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTimeColumn(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "owner_id"], ["users.tenant_id", "users.id"],
            name=op.f("fk_hello_greetings_tenant_id_owner_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"],
            name=op.f("fk_hello_greetings_tenant_id_tenants"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_hello_greetings")),
    )
    with op.batch_alter_table("hello_greetings", schema=None) as batch_op:
        batch_op.create_index("ix_hello_greetings_owner", ["tenant_id", "owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hello_greetings", schema=None) as batch_op:
        batch_op.drop_index("ix_hello_greetings_owner")
    op.drop_table("hello_greetings")
