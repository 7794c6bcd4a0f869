"""Roles and the department tree (tenant-owned)."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Index, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from patron.auth.models import User
from patron.db import TenantScoped, Timestamps, Versioned, tenant_fk
from patron.db.base import JSONType


class Role(TenantScoped, Timestamps, Versioned):
    """Permissions (``module.resource.action`` strings, ``*`` for all) and data scopes.

    ``scopes`` maps a resource (``core.accounts``) to one of :data:`patron.rbac.scopes.SCOPES`;
    a resource not listed gets ``default_scope``.
    """

    __tablename__ = "roles"

    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    permissions: Mapped[list] = mapped_column(JSONType, default=list)
    scopes: Mapped[dict] = mapped_column(JSONType, default=dict)
    default_scope: Mapped[str] = mapped_column(String(32), default="own")
    #: Field-level security: ``{entity: {field: "hidden" | "read_only"}}``.
    field_access: Mapped[dict] = mapped_column(JSONType, default=dict,
                                               server_default=text("'{}'"))
    is_system: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("tenant_id", "key"),)


class Department(TenantScoped, Timestamps, Versioned):
    """A node of the department tree; ``path`` is the materialised path ``/<root>/.../<self>/``."""

    __tablename__ = "departments"

    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    path: Mapped[str] = mapped_column(String(2000), default="")

    __table_args__ = (
        tenant_fk("parent_id", "departments"),
        Index("ix_departments_path", "tenant_id", "path"),
    )


#: A user's role. Declared here, with roles, because users are a layer below
#: (:mod:`patron.auth`): token sign-in loads it in the same statement as the user when it is
#: declared, which it is whenever the core runs. Last in the module: adding it to a mapped
#: class resolves the users table's foreign keys at once, departments' included.
User.role = relationship(Role, viewonly=True)
