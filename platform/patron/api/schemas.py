"""Base marshmallow schemas: unknown fields are errors, server-owned fields are read-only.

``id``, ``tenant_id``, ``owner_id``, ``version``, ``created_at`` and ``updated_at`` are
``dump_only``: sending them is an "Unknown field." 422 (issue 2, item 11), except ``version``
on PATCH, where it is the optimistic-locking token (../shared/API.md).
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, post_dump


class BaseSchema(Schema):
    """Every API schema derives from this one."""

    class Meta:
        unknown = RAISE
        ordered = True


class RecordSchema(BaseSchema):
    """Fields every record carries.

    An instance made by :func:`secured` drops the fields hidden from the signed-in user
    when it dumps (field-level security); plain instances (events, the audit log) dump all.
    """

    id = fields.UUID(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    #: The entity whose field rules apply to this instance's dumps (see :func:`secured`).
    secured_entity: str | None = None

    @post_dump
    def _hide_fields(self, data: dict, **kwargs) -> dict:
        from patron.rbac.field_security import redact

        return redact(self.secured_entity, data) if self.secured_entity else data


def secured(schema: type[Schema], entity: str | None) -> Schema:
    """An instance of ``schema`` that applies the signed-in user's field rules for ``entity``."""
    instance = schema()
    instance.secured_entity = entity
    return instance


class OwnedRecordSchema(RecordSchema):
    """A record with an owner (ownership changes through a dedicated action, not PATCH)."""

    owner_id = fields.UUID(dump_only=True)


def patch_schema(schema: type[Schema]) -> type[Schema]:
    """The PATCH variant of ``schema``: every field optional, plus ``version`` as a lock."""
    return type(
        schema.__name__.removesuffix("Schema") + "PatchSchema",
        (schema,),
        {"version": fields.Integer(metadata={"description":
                                   "Expected current version; stale gets 409."})},
    )
