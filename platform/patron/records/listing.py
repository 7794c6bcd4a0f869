"""One page of a collection: filters, ``q``, ``owner=me``, ``sort``, keyset paging, ``count``.

The API's list endpoints, list pages, exports, the 360° sections and plugins' own lists all
page through :func:`list_records`, so a filter or a cursor means the same everywhere
(docs/API.md, "Collections").
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import INCLUDE, fields, validate
from sqlalchemy import Select, func, select

from patron.auth.models import User
from patron.db import db
from patron.errors import ValidationFailed
from patron.rbac.access import scoped_select
from patron.records.filters import build_criteria, build_sort
from patron.records.paging import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, paginate
from patron.records.spec import ResourceSpec
from patron.records.views import view_class
from patron.schemas import BaseSchema

#: The page size from which a list reads views rather than records: selecting a record's
#: columns one by one costs the ORM more per statement than selecting the entity (about 40 µs
#: on SQLite), and saves more per row (about 10 µs); measured on the 360° view's sections
#: (20 rows asked, a handful found: views slower) and the API's pages of 50 (views faster).
VIEWS_FROM = 25
#: The query schema of each resource's list, by resource name (built once).
_LIST_ARGS: dict[str, type] = {}
#: Arguments of a list that are not filters.
PAGING_ARGS = ("limit", "count", "cursor", "sort")


class PagingArgsSchema(BaseSchema):
    """Paging and search parameters; any other parameter is a filter."""

    class Meta:
        unknown = INCLUDE

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )
    cursor = fields.String()
    count = fields.Boolean(load_default=False)
    q = fields.String(metadata={"description": "Search over the searchable fields"})


class ListArgsSchema(PagingArgsSchema):
    """Paging, sorting and search parameters; any other parameter is a filter.
    :func:`list_args_schema` documents a resource's own sorts and owner filter instead."""

    sort = fields.String(metadata={"description": "Comma-separated fields, '-' for descending"})
    owner = fields.String(metadata={"description": "'me' for records the caller owns"})


def list_args_schema(spec: ResourceSpec) -> type[PagingArgsSchema]:
    """The query parameters of ``spec``'s list as its OpenAPI document states them: ``sort``
    names the fields it sorts by (a custom field as ``custom.<name>``), ``owner=me`` is there
    only when its records have owners. A client generating requests from the document (a
    fuzzer, a generated SDK) then sends what the list takes; a role's hidden fields and the
    tenant's custom fields are still checked when the list is read."""
    if spec.name not in _LIST_ARGS:
        _LIST_ARGS[spec.name] = _list_args(spec)
    return _LIST_ARGS[spec.name]


def _list_args(spec: ResourceSpec) -> type[PagingArgsSchema]:
    names = sorted({*spec.sortable, "id"})
    one = "|".join(re.escape(name) for name in names) + (
        r"|custom\.[a-z][a-z0-9_]*" if spec.entity else "")
    described = ", ".join(names) + (", custom.<name>" if spec.entity else "")
    attrs: dict[str, fields.Field] = {"sort": fields.String(
        validate=validate.Regexp(rf"^-?({one})(,-?({one}))*$",
                                 error=f"Sort by {described} (comma-separated, '-' first "
                                       "for descending)."),
        metadata={"description": f"Comma-separated, '-' first for descending: {described}"})}
    if hasattr(spec.model, "owner_id"):
        attrs["owner"] = fields.String(validate=validate.OneOf(["me"]), metadata={
            "description": "'me' for records the caller owns"})
    return PagingArgsSchema.from_dict(attrs, name=f"{spec.name.title()}ListArgs")


def matching(spec: ResourceSpec, args: dict, user: User, *,
             base: Select | None = None) -> Select:
    """``SELECT`` of ``spec``'s records that ``user`` may see (or of ``base``) and the filters
    of ``args`` match, unordered; a 422 for bad filters. A list's page, its count and a bulk
    action's "all matching" read the same records."""
    criteria, errors = build_criteria(
        {k: v for k, v in args.items() if k not in PAGING_ARGS}, spec.filter_set(),
        getattr(spec.model, "owner_id", None), user.id,
    )
    if errors:
        raise ValidationFailed(errors)
    if base is None:
        base = scoped_select(spec.model, spec.permission, shared=True, user=user)
    return base.where(*criteria)


def list_records(spec: ResourceSpec, args: dict, user: User, *,
                 base: Select | None = None) -> dict[str, Any]:
    """One page of ``spec``'s records as ``user`` may see them, filtered and sorted by
    ``args`` (``limit`` required; ``cursor``, ``sort``, ``count`` and filters optional).

    ``base`` is the statement to page through instead of the records in ``user``'s data scope
    (and those shared with them): a plugin's own selection, such as the accounts in the
    customer pool, which have no owner to be in anybody's scope. Returns ``{"items",
    "next_cursor"}`` and, with ``count``, ``"total"``; bad filters, sorts or cursors are a 422.
    The items are read-only views (:mod:`patron.records.views`) when the spec's schema needs
    no more than the record's columns and properties and the page is large enough for views
    to pay (:data:`VIEWS_FROM`), else the records themselves.
    """
    keys, errors = build_sort(args.get("sort"), spec.filter_set())
    try:
        statement = matching(spec, args, user, base=base)
    except ValidationFailed as error:  # every bad filter and sort in one answer
        raise ValidationFailed({**error.errors, **errors}) from error
    if errors:
        raise ValidationFailed(errors)
    view = None
    if spec.view_columns is not None and args["limit"] >= VIEWS_FROM:
        statement = statement.with_only_columns(*spec.view_columns)
        view = view_class(spec.model)
    try:
        items, next_cursor = paginate(statement, keys, args["limit"], args.get("cursor"),
                                      db.session, view=view)
    except BadCursor as error:
        raise ValidationFailed({"cursor": [str(error)]}) from error
    page: dict[str, Any] = {"items": items, "next_cursor": next_cursor}
    if args.get("count"):
        page["total"] = db.session.execute(
            select(func.count()).select_from(statement.subquery())
        ).scalar_one()
    return page
