"""Database layer: the declarative base, tenant-owned mixins, tenant scoping and PostgreSQL RLS.

Raw engine access and ``text()`` SQL live only in this package (docs/STYLE.md).
"""

from patron.db.base import Base, db
from patron.db.ids import new_id
from patron.db.mixins import (
    Owned,
    TenantScoped,
    Timestamps,
    Versioned,
    owner_constraints,
    tenant_fk,
)
from patron.db.tenant_context import (
    TenantContextMissing,
    current_tenant_id,
    require_tenant_id,
    tenant_context,
)

__all__ = [
    "Base",
    "Owned",
    "TenantContextMissing",
    "TenantScoped",
    "Timestamps",
    "Versioned",
    "current_tenant_id",
    "db",
    "new_id",
    "owner_constraints",
    "require_tenant_id",
    "tenant_context",
    "tenant_fk",
]
