"""sales: orders become an entity: a number (SO-00042), the tenant's order sequence counting
on from the orders already there, and custom values

Revision ID: 0006_sales_order_numbers
Revises: 0005_sales_custom_values_gin
Create Date: 2026-12-07 13:30:00

Existing orders are numbered per tenant in the order they were placed; the tenant's
``sales_order`` sequence then starts after the last of them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

from patron.sdk import (
    create_custom_values_indexes,
    drop_custom_values_indexes,
    new_id,
    tenants_in_turn,
)

revision: str = "0006_sales_order_numbers"
down_revision: str | Sequence[str] | None = "0005_sales_custom_values_gin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0016_tenant_sequences"

KEY = "sales_order"
TEMPLATE = "SO-{:05d}"


def _number_existing_orders(connection: sa.Connection) -> None:
    # Ids as the database gives them (tenants_in_turn's are untyped too), a new one typed.
    orders = sa.table("sales_orders", sa.column("tenant_id"), sa.column("id"),
                      sa.column("number", sa.String()), sa.column("ordered_at"),
                      sa.column("created_at"))
    sequences = sa.table("tenant_sequences", sa.column("tenant_id"),
                         sa.column("id", sa.Uuid()), sa.column("key", sa.String()),
                         sa.column("last", sa.Integer()))
    for tenant_id in tenants_in_turn(connection):
        ids = connection.execute(
            sa.select(orders.c.id).where(orders.c.tenant_id == tenant_id)
            .order_by(orders.c.ordered_at, orders.c.created_at, orders.c.id)).scalars().all()
        for number, order_id in enumerate(ids, start=1):
            connection.execute(orders.update()
                               .where(orders.c.tenant_id == tenant_id, orders.c.id == order_id)
                               .values(number=TEMPLATE.format(number)))
        if ids:
            connection.execute(sequences.insert().values(tenant_id=tenant_id, id=new_id(),
                                                         key=KEY, last=len(ids)))


def upgrade() -> None:
    with op.batch_alter_table("sales_orders") as batch:
        batch.add_column(sa.Column("number", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("custom", sa.JSON().with_variant(
            postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False,
            server_default="{}"))
    _number_existing_orders(op.get_bind())
    with op.batch_alter_table("sales_orders") as batch:
        batch.alter_column("number", existing_type=sa.String(length=20), nullable=False)
        batch.create_unique_constraint(op.f("uq_sales_orders_tenant_id_number"),
                                       ["tenant_id", "number"])
        batch.alter_column("custom", server_default=None)
    create_custom_values_indexes(["sales_orders"])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM tenant_sequences WHERE key = :key").bindparams(key=KEY))
    drop_custom_values_indexes(["sales_orders"])
    with op.batch_alter_table("sales_orders") as batch:
        batch.drop_constraint(op.f("uq_sales_orders_tenant_id_number"), type_="unique")
        batch.drop_column("custom")
        batch.drop_column("number")
