"""Rows that belong to one parent record (a deal's lines, a quote's lines, a price list's
prices), exposed at ``/<parent>/<id>/<children>`` and ``…/<children>/<row_id>`` by
:func:`patron.api.children.register_children` and changed the same way by pages.

The parent is looked up in the caller's data scope first, so a parent they may not see answers
404 before anything else is read or checked; reading needs the parent's ``read`` permission,
changing a row its ``update`` one (a row is part of its parent). Every change emits
``<event>.created|updated|deleted``, so the audit log and webhooks see it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort
from marshmallow import Schema
from sqlalchemy import select

from patron.db import db
from patron.events import emit
from patron.events.catalogue import declare, record_events
from patron.rbac.access import get_scoped_or_404, require
from patron.records.changes import changed_fields


def _always(parent: Any) -> None:
    return None


@dataclass(frozen=True)
class Parent:
    """The record rows hang off: its URL segment, model, permission prefix and the rows'
    column that points at it. ``check_editable(parent)`` raises (409) when its rows may not
    change any more (a sent quote, say)."""

    segment: str
    model: type
    permission: str
    key: str
    check_editable: Callable[[Any], None] = _always

    def get(self, record_id: uuid.UUID, action: str) -> Any:
        """The parent, if the caller may ``action`` it and it is in their scope; else 403/404."""
        require(f"{self.permission}.{action}")
        parent = get_scoped_or_404(self.model, record_id, self.permission,
                                   shared=action == "read")
        if action != "read":
            self.check_editable(parent)
        return parent


@dataclass(frozen=True)
class Children:
    """One kind of row of a parent.

    ``check(parent, data, row)`` validates and completes loaded data (``row`` is ``None``
    when creating); ``after(parent)`` runs after every change (totals, say).
    """

    parent: Parent
    name: str
    event: str
    model: type
    schema: type[Schema]
    check: Callable[[Any, dict, Any], None]
    after: Callable[[Any], None] = _always
    order_by: str = "created_at"

    def __post_init__(self) -> None:
        declare(record_events(self.event, self.schema, self.event.replace("_", " ")))

    @property
    def _column(self):
        return getattr(self.model, self.parent.key)

    def rows(self, parent: Any) -> list:
        """The parent's rows of this kind."""
        return list(db.session.execute(
            select(self.model).where(self._column == parent.id)
            .order_by(getattr(self.model, self.order_by), self.model.id)
        ).scalars())

    def get_or_404(self, parent: Any, row_id: uuid.UUID) -> Any:
        """The row ``row_id`` of this parent; 404 if it has none."""
        row = db.session.execute(
            select(self.model).where(self._column == parent.id, self.model.id == row_id)
        ).scalar_one_or_none()
        if row is None:
            abort(404)
        return row

    def create(self, parent: Any, data: dict) -> Any:
        """Add a row to the parent."""
        self.check(parent, data, None)
        row = self.model(**{self.parent.key: parent.id}, **data)
        db.session.add(row)
        db.session.flush()
        self.after(parent)
        return row

    def update(self, parent: Any, row: Any, data: dict) -> None:
        """Change a row of the parent."""
        self.check(parent, data, row)
        for key, value in data.items():
            setattr(row, key, value)
        db.session.flush()
        self.after(parent)

    def delete(self, parent: Any, row: Any) -> None:
        """Remove a row from the parent."""
        db.session.delete(row)
        db.session.flush()
        self.after(parent)

    def add(self, parent: Any, data: dict) -> Any:
        """Add a row from loaded ``data`` and emit ``<event>.created`` (the API's and the
        pages' one way of adding)."""
        row = self.create(parent, data)
        emit(f"{self.event}.created", self.schema().dump(row))
        return row

    def change(self, parent: Any, row: Any, data: dict) -> None:
        """Change a row with loaded ``data`` and emit ``<event>.updated`` with its changes."""
        schema = self.schema()
        before = schema.dump(row)
        self.update(parent, row, data)
        after = schema.dump(row)
        emit(f"{self.event}.updated", {**after, "changes": changed_fields(before, after)})

    def remove(self, parent: Any, row: Any) -> None:
        """Remove a row and emit ``<event>.deleted``."""
        payload = self.schema().dump(row)
        self.delete(parent, row)
        emit(f"{self.event}.deleted", payload)
