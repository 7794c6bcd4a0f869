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

from flask import request, url_for
from flask_login import current_user

from patron.api.blueprint import PatronBlueprint
from patron.errors import ValidationFailed
from patron.rbac.access import get_scoped_or_404, require
from patron.records.listing import list_args_schema, list_records
from patron.records.operations import check_version, create_record, delete_record, update_record
from patron.records.spec import ResourceSpec, register_spec, response_schema
from patron.schemas import page_schema, patch_schema

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


def register_crud(blp: PatronBlueprint, spec: ResourceSpec, *, write: str | None = None) -> None:
    """Add ``/<name>`` and ``/<name>/<uuid:id>`` for ``spec`` to ``blp``.

    Writes need ``<permission>.create|update|delete``; ``write`` names the one permission every
    write needs instead, for a resource a single grant governs (the rules of the sales
    module's customer pool, changed by whoever holds ``sales.pool.manage``). Reads always
    need ``<permission>.read``.
    """
    register_spec(spec)
    # Relative to the request's blueprint, so the link holds on a blueprint nested in another
    # (a module's API split over several, see PatronBlueprint).
    item_endpoint = f".{spec.name}_item"
    schema = spec.schema
    partial_schema = patch_schema(schema)

    @blp.route(f"/{spec.name}", endpoint=f"{spec.name}_collection", methods=["GET"])
    @blp.arguments(list_args_schema(spec), location="query")
    @blp.response(200, page_schema(response_schema(spec)))
    def list_view(args):
        """List records (filters, q, sort, keyset paging)"""
        require(f"{spec.permission}.read")
        return list_records(spec, args, current_user)

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
        require(write or f"{spec.permission}.create")
        record = create_record(spec, data)
        location = url_for(item_endpoint, record_id=record.id)
        return record, 201, {"Location": location}

    @blp.route(f"/{spec.name}/<uuid:record_id>", endpoint=f"{spec.name}_update",
               methods=["PATCH"])
    @blp.arguments(partial_schema(partial=True))
    @blp.response(200, response_schema(spec))
    def update_view(data, record_id: uuid.UUID):
        """Update the given fields (If-Match or version: stale is 409)"""
        require(write or f"{spec.permission}.update")
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
            require(write or f"{spec.permission}.delete")
            record = get_scoped_or_404(spec.model, record_id, spec.permission)
            delete_record(spec, record)
