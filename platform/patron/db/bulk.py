"""Writing many rows of a tenant-owned table in one statement.

Batch writes (imports, bulk actions, sync jobs) produce an audit row, a search document and
outbox rows per record; inserting them one ORM object at a time costs a statement (and an
object) each. :func:`insert_rows` sends them as one Core ``INSERT`` of the model's table
(SQLAlchemy's "insertmanyvalues": multi-row ``VALUES`` batches on SQLite and PostgreSQL),
with the current tenant stamped on every row as the flush guard of
:mod:`patron.db.tenant_scope` would. Core rather than an ORM-enabled insert: the ORM's bulk
path sorts each row into per-mapper parameter sets first, which measured as much as the
statement itself on SQLite; the rows here already hold exactly the table's columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Column, insert, inspect

from patron.db.base import db
from patron.db.mixins import TenantScoped
from patron.db.postgres import generic_plans
from patron.db.tenant_context import TenantContextMissing, require_tenant_id

#: Rows from which a batch insert is planned once on PostgreSQL (:func:`generic_plans`): below
#: it, the two statements that switch the planning mode cost more than planning each row.
GENERIC_PLAN_ROWS = 50


def insert_rows(model: type[TenantScoped], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert ``rows`` (column → value; Python-side defaults such as ids fill what is
    missing) into ``model``'s table for the current tenant, in one statement; returns how
    many. A row naming another tenant is refused, as a flush would refuse it."""
    tenant_id = require_tenant_id()
    stamped = []
    for row in rows:
        if row.get("tenant_id", tenant_id) != tenant_id:
            raise TenantContextMissing(f"{model.__name__} row belongs to another tenant")
        stamped.append({**row, "tenant_id": tenant_id})
    if stamped:
        db.session.flush()  # a Core statement does not autoflush; rows may refer to pending ones
        statement = insert(model.__table__)
        if len(stamped) < GENERIC_PLAN_ROWS:  # a single write's audit row, say
            db.session.execute(statement, stamped)
        else:
            with generic_plans(db.session()):
                db.session.execute(statement, stamped)
    return len(stamped)


def insertable_in_bulk(model: type[TenantScoped]) -> bool:
    """Whether rows of ``model`` may be written with :func:`insert_rows` in place of ORM
    objects: nothing the ORM would do on their insert is skipped (no insert listeners, no
    relationship to cascade to) and every default is known before the insert (no server
    default), so :func:`with_defaults` makes the whole row."""
    mapper = inspect(model)
    return (not mapper.dispatch.before_insert and not mapper.dispatch.after_insert
            and not mapper.relationships
            and all(column.server_default is None for column in mapper.local_table.columns))


def with_defaults(model: type[TenantScoped], values: Mapping[str, Any]) -> dict[str, Any]:
    """Every column of ``model``'s row: ``values``, the current tenant, then each column's
    Python default (made for this row), ``None`` for the rest: the row as the insert will
    write it, known before."""
    row = {"tenant_id": require_tenant_id(), **values}
    for column in _columns(model):
        if column.key not in row:
            row[column.key] = _default(column)
    return row


@cache
def _columns(model: type[TenantScoped]) -> tuple[Column, ...]:
    # Mapped classes are fixed once configured; inspecting one per row showed in profiles.
    return tuple(inspect(model).local_table.columns)


def _default(column: Column) -> Any:
    default = column.default
    if default is None:
        return None
    # SQLAlchemy wraps a callable default to take the execution context, which a default of
    # a plain column (the only kind insertable_in_bulk lets through) does not read.
    return default.arg(None) if default.is_callable else default.arg
