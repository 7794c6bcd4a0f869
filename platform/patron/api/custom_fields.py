"""``/custom-fields``: the current tenant's custom-field definitions."""

from __future__ import annotations

from flask import request
from marshmallow import fields, validate

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import register_crud
from patron.customfields.models import TYPES, CustomFieldDefinition
from patron.customfields.services import (
    create_definition,
    delete_definition,
    update_definition,
)
from patron.records.spec import ResourceSpec
from patron.schemas import RecordSchema

blp = PatronBlueprint("customfields", __name__, description="Custom-field definitions")


class CustomFieldSchema(RecordSchema):
    """A custom field of an entity."""

    entity = fields.String(required=True)
    name = fields.String(required=True)
    label = fields.String(required=True, validate=validate.Length(min=1, max=200))
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    required = fields.Boolean(load_default=False)
    unique = fields.Boolean(load_default=False)
    default = fields.Raw(allow_none=True)
    options = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                          load_default=list)
    position = fields.Integer(load_default=0)


def _delete(definition: CustomFieldDefinition) -> None:
    delete_definition(definition, confirmed=request.args.get("confirm") == "true")


register_crud(blp, ResourceSpec(
    name="custom-fields", model=CustomFieldDefinition, schema=CustomFieldSchema,
    permission="core.customfields", event="custom_field",
    filterable=("entity", "name", "type"), searchable=("label", "name"),
    sortable=("entity", "position", "name"),
    create=create_definition, update=update_definition, delete=_delete,
))
