"""Writing many rows of a tenant-owned table in one statement.

Batch writes (imports, bulk actions, sync jobs) produce an audit row, a search document and
outbox rows per record; inserting them one ORM object at a time costs a statement (and an
object) each. :func:`insert_rows` sends them as one ``INSERT`` (SQLAlchemy's
"insertmanyvalues": multi-row ``VALUES`` batches on SQLite and PostgreSQL), with the current
tenant stamped on every row as the flush guard of :mod:`patron.db.tenant_scope` would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert

from patron.db.base import db
from patron.db.mixins import TenantScoped
from patron.db.tenant_context import TenantContextMissing, require_tenant_id


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
        db.session.execute(insert(model), stamped)
    return len(stamped)
