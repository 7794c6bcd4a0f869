"""sales: quotes get a number (QT-00042, kept by their revisions), a contact and the address
they were e-mailed to

Revision ID: 0010_sales_quote_numbers
Revises: 0009_sales_owner_open_index
Create Date: 2026-12-07 23:40:00

Existing quotes are numbered per tenant in the order they were made, a revision taking its
earlier version's number; the tenant's ``sales_quote`` sequence then starts after the last.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from patron.sdk import new_id, tenants_in_turn

revision: str = "0010_sales_quote_numbers"
down_revision: str | Sequence[str] | None = "0009_sales_owner_open_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "sales_quote"
TEMPLATE = "QT-{:05d}"


def _number_existing_quotes(connection: sa.Connection) -> None:
    quotes = sa.table("sales_quotes", sa.column("tenant_id"), sa.column("id"),
                      sa.column("previous_id"), sa.column("number", sa.String()),
                      sa.column("created_at"))
    sequences = sa.table("tenant_sequences", sa.column("tenant_id"),
                         sa.column("id", sa.Uuid()), sa.column("key", sa.String()),
                         sa.column("last", sa.Integer()))
    for tenant_id in tenants_in_turn(connection):
        rows = connection.execute(
            sa.select(quotes.c.id, quotes.c.previous_id).where(quotes.c.tenant_id == tenant_id)
            .order_by(quotes.c.created_at, quotes.c.id)).all()
        numbers: dict = {}
        last = 0
        for quote_id, previous_id in rows:
            if previous_id in numbers:
                numbers[quote_id] = numbers[previous_id]
            else:
                last += 1
                numbers[quote_id] = TEMPLATE.format(last)
            connection.execute(quotes.update()
                               .where(quotes.c.tenant_id == tenant_id, quotes.c.id == quote_id)
                               .values(number=numbers[quote_id]))
        if last:
            connection.execute(sequences.insert().values(tenant_id=tenant_id, id=new_id(),
                                                         key=KEY, last=last))


def upgrade() -> None:
    with op.batch_alter_table("sales_quotes") as batch:
        batch.add_column(sa.Column("number", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("contact_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("sent_to", sa.String(length=254), nullable=True))
    _number_existing_quotes(op.get_bind())
    with op.batch_alter_table("sales_quotes") as batch:
        batch.alter_column("number", existing_type=sa.String(length=20), nullable=False)
        batch.create_unique_constraint(op.f("uq_sales_quotes_tenant_id_number_revision"),
                                       ["tenant_id", "number", "revision"])
        batch.create_foreign_key(op.f("fk_sales_quotes_tenant_id_contact_id_contacts"),
                                 "contacts", ["tenant_id", "contact_id"],
                                 ["tenant_id", "id"])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM tenant_sequences WHERE key = :key").bindparams(key=KEY))
    with op.batch_alter_table("sales_quotes") as batch:
        batch.drop_constraint(op.f("fk_sales_quotes_tenant_id_contact_id_contacts"),
                              type_="foreignkey")
        batch.drop_constraint(op.f("uq_sales_quotes_tenant_id_number_revision"),
                              type_="unique")
        batch.drop_column("sent_to")
        batch.drop_column("contact_id")
        batch.drop_column("number")
