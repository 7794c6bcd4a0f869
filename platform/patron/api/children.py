"""The routes of a parent's rows (:mod:`patron.records.children`): list, add, change (with
optimistic locking) and remove, under ``/<parent>/<id>/<children>``."""

from __future__ import annotations

import uuid

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import expected_version
from patron.records.bounds import bound_by_columns
from patron.records.children import Children
from patron.records.operations import check_version
from patron.schemas import page_schema, patch_schema


def register_children(blp: PatronBlueprint, children: Children) -> None:
    """Add list, create, update and delete routes for ``children`` to ``blp`` (the rows'
    schema bounded by their columns)."""
    bound_by_columns(children.schema, children.model)
    parent = children.parent
    base = f"/{parent.segment}/<uuid:record_id>/{children.name}"
    item = f"{base}/<uuid:row_id>"
    endpoint = f"{parent.segment}_{children.name}".replace("-", "_")
    schema = children.schema

    @blp.route(base, endpoint=f"{endpoint}_collection", methods=["GET"])
    @blp.response(200, page_schema(schema))
    def list_view(record_id: uuid.UUID):
        """List the rows (all of them: a record has few)"""
        return {"items": children.rows(parent.get(record_id, "read")), "next_cursor": None}

    @blp.route(base, endpoint=f"{endpoint}_create", methods=["POST"])
    @blp.arguments(schema)
    @blp.response(201, schema)
    def create_view(data: dict, record_id: uuid.UUID):
        """Add a row"""
        return children.add(parent.get(record_id, "update"), data)

    @blp.route(item, endpoint=f"{endpoint}_update", methods=["PATCH"])
    @blp.arguments(patch_schema(schema)(partial=True))
    @blp.response(200, schema)
    def update_view(data: dict, record_id: uuid.UUID, row_id: uuid.UUID):
        """Change a row (If-Match or version: stale is 409)"""
        owner = parent.get(record_id, "update")
        expected = expected_version(data)
        row = children.get_or_404(owner, row_id)
        check_version(row, expected)
        children.change(owner, row, data)
        return row

    @blp.route(item, endpoint=f"{endpoint}_delete", methods=["DELETE"])
    @blp.response(204)
    def delete_view(record_id: uuid.UUID, row_id: uuid.UUID):
        """Remove a row"""
        owner = parent.get(record_id, "update")
        children.remove(owner, children.get_or_404(owner, row_id))
