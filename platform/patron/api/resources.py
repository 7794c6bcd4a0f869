"""Collection and item endpoints for one resource, with every API convention applied.

``register_crud`` gives a model list (filters, ``q``, ``sort``, keyset paging, ``count``),
create (201 + ``Location``), read, PATCH with optimistic locking (``If-Match`` or ``version``;
stale is 409) and delete (204); permission checks (``<permission>.read|create|update|delete``)
and data scopes come from :mod:`patron.rbac.access`, events ``<event>.created|updated|deleted``
from :mod:`patron.events`. Core resources and plugins use the same function.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import request, url_for
from flask_login import current_user
from marshmallow import INCLUDE, Schema, fields, validate
from sqlalchemy import func, select

from patron.api.blueprint import PatronBlueprint
from patron.api.filters import build_criteria, build_sort
from patron.api.operations import create_record, delete_record, update_record
from patron.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, paginate
from patron.api.problems import Conflict, ValidationFailed
from patron.api.schemas import BaseSchema, patch_schema, secured
from patron.api.spec import ResourceSpec, register_spec
from patron.db import db
from patron.rbac.access import get_scoped_or_404, require, scoped_select


class ListArgsSchema(BaseSchema):
    """Paging, sorting and search parameters; any other parameter is a filter."""

    class Meta:
        unknown = INCLUDE

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )
    cursor = fields.String()
    count = fields.Boolean(load_default=False)
    sort = fields.String(metadata={"description": "Comma-separated fields, '-' for descending"})
    q = fields.String(metadata={"description": "Search over the searchable fields"})
    owner = fields.String(metadata={"description": "'me' for records the caller owns"})


def response_schema(spec: ResourceSpec) -> Schema | type[Schema]:
    """The schema records of ``spec`` are answered with (field rules applied if an entity)."""
    return secured(spec.schema, spec.entity) if spec.entity else spec.schema


def page_schema(item_schema: Schema | type[Schema]) -> type[Schema]:
    """The ``{"items", "next_cursor", "total"}`` envelope of a collection."""
    name = (item_schema if isinstance(item_schema, type) else type(item_schema)).__name__
    return type(
        name.removesuffix("Schema") + "PageSchema",
        (Schema,),
        {
            # One nested dump of the whole page (not one per item), so a schema can read
            # what its items need in one query (a pre_dump with pass_collection=True).
            "items": fields.Nested(item_schema, many=True),
            "next_cursor": fields.String(allow_none=True),
            "total": fields.Integer(),
        },
    )


IF_MATCH = re.compile(r'^(?:W/)?"?(\d+)"?$')


def expected_version(data: dict) -> int | None:
    """The version the client based its change on: ``If-Match`` header or ``version`` field."""
    body_version = data.pop("version", None)
    header = request.headers.get("If-Match")
    if header:
        match = IF_MATCH.match(header.strip())
        if not match:
            raise ValidationFailed({"If-Match": ["Must be the record's version number."]})
        return int(match.group(1))
    return body_version


def check_version(record: Any, expected: int | None) -> None:
    """409 when the client's version is not the record's current one."""
    if expected is not None and expected != record.version:
        raise Conflict(
            f"the record was changed by someone else (version {record.version}, "
            f"you sent {expected}); reload and apply your change again"
        )


def list_records(spec: ResourceSpec, args: dict) -> dict:
    """One page of the records the caller may see, filtered and sorted as asked."""
    filters = spec.filter_set()
    owner_column = getattr(spec.model, "owner_id", None)
    criteria, errors = build_criteria(
        {k: v for k, v in args.items() if k not in ("limit", "count", "cursor", "sort")},
        filters, owner_column, current_user.id,
    )
    keys, sort_errors = build_sort(args.get("sort"), filters)
    errors.update(sort_errors)
    if errors:
        raise ValidationFailed(errors)
    statement = scoped_select(spec.model, spec.permission, shared=True).where(*criteria)
    try:
        items, next_cursor = paginate(
            statement, keys, args["limit"], args.get("cursor"), db.session
        )
    except BadCursor as error:
        raise ValidationFailed({"cursor": [str(error)]}) from error
    page: dict[str, Any] = {"items": items, "next_cursor": next_cursor}
    if args.get("count"):
        page["total"] = db.session.execute(
            select(func.count()).select_from(statement.subquery())
        ).scalar_one()
    return page


def register_crud(blp: PatronBlueprint, spec: ResourceSpec) -> None:
    """Add ``/<name>`` and ``/<name>/<uuid:id>`` for ``spec`` to ``blp``."""
    register_spec(spec)
    item_endpoint = f"{blp.name}.{spec.name}_item"
    schema = spec.schema
    partial_schema = patch_schema(schema)

    @blp.route(f"/{spec.name}", endpoint=f"{spec.name}_collection", methods=["GET"])
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, page_schema(response_schema(spec)))
    def list_view(args):
        """List records (filters, q, sort, keyset paging)"""
        require(f"{spec.permission}.read")
        return list_records(spec, args)

    @blp.route(f"/{spec.name}/<uuid:record_id>", endpoint=f"{spec.name}_item", methods=["GET"])
    @blp.response(200, response_schema(spec))
    def read_view(record_id: uuid.UUID):
        """Read a record"""
        require(f"{spec.permission}.read")
        return get_scoped_or_404(spec.model, record_id, spec.permission, shared=True)

    if not spec.writable:
        return

    @blp.route(f"/{spec.name}", endpoint=f"{spec.name}_create", methods=["POST"])
    @blp.arguments(schema)
    @blp.response(201, spec.created_schema or response_schema(spec))
    def create_view(data):
        """Create a record"""
        require(f"{spec.permission}.create")
        record = create_record(spec, data)
        location = url_for(item_endpoint, record_id=record.id)
        return record, 201, {"Location": location}

    @blp.route(f"/{spec.name}/<uuid:record_id>", endpoint=f"{spec.name}_update",
               methods=["PATCH"])
    @blp.arguments(partial_schema(partial=True))
    @blp.response(200, response_schema(spec))
    def update_view(data, record_id: uuid.UUID):
        """Update the given fields (If-Match or version: stale is 409)"""
        require(f"{spec.permission}.update")
        expected = expected_version(data)
        record = get_scoped_or_404(spec.model, record_id, spec.permission)
        check_version(record, expected)
        update_record(spec, record, data)
        return record

    if spec.deletable:

        @blp.route(f"/{spec.name}/<uuid:record_id>", endpoint=f"{spec.name}_delete",
                   methods=["DELETE"])
        @blp.response(204)
        def delete(record_id: uuid.UUID):
            """Delete a record"""
            require(f"{spec.permission}.delete")
            record = get_scoped_or_404(spec.model, record_id, spec.permission)
            delete_record(spec, record)
