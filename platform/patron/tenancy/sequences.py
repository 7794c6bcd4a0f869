"""Numbers a tenant's documents carry (order SO-00042): one counter per tenant and kind, never
handing a number out twice, even to transactions running at once.

As Frappe's naming series (its ``tabSeries`` row bumped with ``UPDATE … SET current =
current + 1``) and Odoo's ``ir.sequence`` do, the counter is a row: ``UPDATE … RETURNING``
takes the next number and locks the row until the transaction ends, so a concurrent one waits
for it (PostgreSQL) or for the write lock (SQLite), and a rolled-back transaction gives its
number back. :func:`numbered` stamps a model's new rows as they are inserted, whichever code
made them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, Integer, String, UniqueConstraint, event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped, new_id


class TenantSequence(TenantScoped):
    """The last number a tenant's sequence ``key`` handed out."""

    __tablename__ = "tenant_sequences"

    key: Mapped[str] = mapped_column(String(50))
    last: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "key"),)


def next_number(connection: Connection, tenant_id: uuid.UUID, key: str) -> int:
    """The next number (1, 2, …) of ``tenant_id``'s sequence ``key``, on ``connection``'s
    transaction (whose end releases the counter for the next caller)."""
    table = TenantSequence.__table__
    bump = (update(table)
            .where(table.c.tenant_id == tenant_id, table.c.key == key)
            .values(last=table.c.last + 1).returning(table.c.last))
    number = connection.execute(bump).scalar_one_or_none()
    if number is None:  # the sequence's first number: make its row (or find a racer's)
        try:
            with connection.begin_nested():
                connection.execute(insert(table).values(tenant_id=tenant_id, id=new_id(),
                                                        key=key, last=0))
        except IntegrityError:
            pass
        number = connection.execute(bump).scalar_one()
    return number


def numbered(model: type, column: str, key: str, template: str) -> None:
    """Give every new row of ``model`` the next number of the tenant's sequence ``key`` in
    ``column``, as ``template`` formats it (``"SO-{:05d}"``), unless it has one already."""

    @event.listens_for(model, "before_insert")
    def _stamp(mapper, connection: Connection, target) -> None:
        if getattr(target, column) is None:
            setattr(target, column,
                    template.format(next_number(connection, target.tenant_id, key)))
