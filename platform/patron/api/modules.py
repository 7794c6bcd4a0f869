"""``/modules``: installed plugins and whether the tenant has them on."""

from __future__ import annotations

from flask import abort
from marshmallow import fields

from patron.api.blueprint import PatronBlueprint
from patron.errors import ValidationFailed
from patron.modules import ModuleChangeRefused, disable_module, enable_module
from patron.plugins.services import enabled_modules, installed_modules
from patron.rbac.access import require, require_user
from patron.schemas import BaseSchema, page_schema

blp = PatronBlueprint("modules", __name__, description="Modules (plugins) per tenant")


class ModuleSchema(BaseSchema):
    """An installed module as the tenant sees it."""

    name = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    version = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    requires = fields.List(fields.String(), dump_only=True)
    enabled = fields.Boolean(required=True)


def _module(name: str) -> dict:
    info = installed_modules().get(name)
    if info is None:
        abort(404)
    return {"name": info.name, "label": str(info.label), "version": info.version,
            "description": str(info.description), "requires": list(info.requires),
            "enabled": name in enabled_modules()}


@blp.route("/modules")
@blp.response(200, page_schema(ModuleSchema))
def list_modules():
    """Every installed module with its state for this tenant (one page: there are few)"""
    require_user()
    return {"items": [_module(name) for name in sorted(installed_modules())],
            "next_cursor": None}


@blp.route("/modules/<name>")
@blp.response(200, ModuleSchema)
def get_module(name: str):
    """One installed module"""
    require_user()
    return _module(name)


@blp.route("/modules/<name>", methods=["PUT"])
@blp.arguments(ModuleSchema)
@blp.response(200, ModuleSchema)
def set_module(data, name: str):
    """Enable or disable a module for this tenant (admin); disabling keeps its data"""
    require("core.modules.manage")
    _module(name)
    try:
        enable_module(name) if data["enabled"] else disable_module(name)
    except ModuleChangeRefused as error:
        raise ValidationFailed({"enabled": [str(error)]}, detail=str(error)) from error
    return _module(name)
