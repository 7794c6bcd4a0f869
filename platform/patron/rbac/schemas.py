"""Schemas of roles and departments."""

from marshmallow import fields, validate

from patron.rbac.field_security import LEVELS
from patron.rbac.scopes import SCOPES
from patron.schemas import RecordSchema


class RoleSchema(RecordSchema):
    """A role: permissions plus a data scope per resource."""

    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,63}$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String()
    permissions = fields.List(fields.String(), load_default=list)
    scopes = fields.Dict(keys=fields.String(), values=fields.String(
        validate=validate.OneOf(SCOPES)), load_default=dict)
    default_scope = fields.String(validate=validate.OneOf(SCOPES), load_default="own")
    field_access = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String(
            validate=validate.OneOf(LEVELS))),
        load_default=dict,
        metadata={"description": 'Per entity: {field: "hidden" | "read_only"}; custom '
                                 'fields as "custom.<name>"'},
    )
    is_system = fields.Boolean(dump_only=True)


class DepartmentSchema(RecordSchema):
    """A node of the department tree."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    parent_id = fields.UUID(allow_none=True)
    path = fields.String(dump_only=True)
