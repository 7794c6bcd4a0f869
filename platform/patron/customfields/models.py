"""Custom-field definitions and the index that enforces unique values."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped, Timestamps, Versioned, tenant_fk
from patron.db.base import JSONType

TYPES = ("text", "long_text", "number", "decimal", "date", "datetime", "boolean", "select",
         "multi_select", "user", "url", "email", "phone")


class CustomFieldDefinition(TenantScoped, Timestamps, Versioned):
    """One custom field of one entity in one tenant. ``name`` is the key in ``custom``."""

    __tablename__ = "custom_fields"

    entity: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    unique: Mapped[bool] = mapped_column(Boolean, default=False)
    default: Mapped[object | None] = mapped_column(JSONType)
    options: Mapped[list] = mapped_column(JSONType, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "entity", "name"),)


@dataclass(frozen=True)
class FieldDefinition:
    """A read-only copy of a :class:`CustomFieldDefinition`, shared by the requests of a
    process (:mod:`patron.config_cache`); changes go through the model."""

    id: uuid.UUID
    entity: str
    name: str
    label: str
    type: str
    required: bool
    unique: bool
    default: Any
    options: tuple[str, ...]
    position: int

    @classmethod
    def of(cls, row: CustomFieldDefinition) -> FieldDefinition:
        """The copy of ``row``."""
        return cls(id=row.id, entity=row.entity, name=row.name, label=row.label, type=row.type,
                   required=bool(row.required), unique=bool(row.unique), default=row.default,
                   options=tuple(row.options or ()), position=row.position)


class CustomFieldUniqueValue(TenantScoped):
    """One value of a unique custom field; the unique constraint is the enforcement.

    A check-then-write in Python would let two concurrent requests both pass; the database
    refusing the second insert cannot be raced.
    """

    __tablename__ = "custom_field_uniques"

    definition_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    value_key: Mapped[str] = mapped_column(String(500))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)

    __table_args__ = (
        tenant_fk("definition_id", "custom_fields", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "definition_id", "value_key"),
        UniqueConstraint("tenant_id", "definition_id", "record_id"),
    )
