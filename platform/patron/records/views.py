"""Read-only views of records, for lists that only show them.

A page of a list is read, dumped and thrown away. Loading it as ORM objects pays for what
reads never use — an identity map entry, change tracking, instance state — and that was the
largest part of a list request after the SQL itself (issue 11, "fixed per-request cost":
"Core rows for read-only lists"). A :class:`RecordView` holds a row's column values as plain
attributes and the model's Python-level properties (``full_name``), which is all a schema
reads, so a spec whose schema needs nothing more is paged as views (:func:`view_of`).

Tenant scoping is unchanged: the columns are selected through the ORM, whose automatic
criteria limit them to the tenant like any query of the model.

A batch of new records written as rows (:func:`patron.records.operations.create_records`) is
handed back as views too, and the handlers of its events find them with
:func:`written_record` instead of reading them again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from marshmallow import Schema
from sqlalchemy import inspect
from sqlalchemy.ext.hybrid import hybrid_property


class RecordView:
    """A record's column values as attributes, read-only by convention (nothing saves it)."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


@functools.cache
def view_class(model: type) -> type[RecordView]:
    """A :class:`RecordView` class for ``model``, with its plain and hybrid properties (their
    instance-level getters read the view's attributes as they would the record's)."""
    properties = {}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, hybrid_property):
                properties[name] = property(value.fget)
            elif isinstance(value, property):
                properties[name] = value
    return type(f"{model.__name__}View", (RecordView,), properties)


def view_of(model: type, schema: type[Schema]) -> list | None:
    """The columns to select to page ``model``'s records as views for ``schema``, or
    ``None`` when the schema needs more than columns and properties (a relationship, a
    pre-dump hook that loads related data, a dotted attribute): those lists load records."""
    if schema._hooks.get("pre_dump"):
        return None
    mapper = inspect(model, raiseerr=False)
    if mapper is None or not hasattr(mapper, "column_attrs"):
        return None
    columns = {attribute.key: getattr(model, attribute.key) for attribute in mapper.column_attrs}
    known = set(columns) | set(vars(view_class(mapper.class_)))
    for name, field in schema().dump_fields.items():
        source = field.attribute or name
        if "." in source or source not in known:
            return None
    return list(columns.values())


#: Records a batch has just written without ORM objects, by (model, id), for the handlers of
#: their events (the search index reads the record, not the payload) while they run.
_written: ContextVar[dict[tuple[type, Any], RecordView] | None] = ContextVar(
    "patron_written_records", default=None)


@contextmanager
def written(model: type, views: Sequence[RecordView]) -> Iterator[None]:
    """Within the block, :func:`written_record` finds ``views`` (records of ``model`` that
    were just inserted as rows) without a query."""
    token = _written.set({**(_written.get() or {}), **{(model, view.id): view for view in views}})
    try:
        yield
    finally:
        _written.reset(token)


def written_record(model: type, record_id: Any) -> RecordView | None:
    """A record of ``model`` written inside the current :func:`written` block, if it is one."""
    known = _written.get()
    return known.get((model, record_id)) if known else None
