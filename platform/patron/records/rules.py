"""What a resource checks and fills in when its records are created, updated or deleted.

A :class:`Rules` hands a :class:`~patron.records.spec.ResourceSpec` its ``create``, ``update``
and ``delete`` (``ResourceSpec(..., **rules.callbacks())``), so the API, pages, imports and
jobs apply the same rules: the core's customer master and every plugin's resources use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, exists, select

from patron.db import db
from patron.errors import Conflict, ValidationFailed
from patron.rbac.access import acting_user_id


@dataclass(frozen=True)
class Unique:
    """Values of ``columns`` that no two records of the tenant may share; a duplicate is a 422
    with ``message`` on ``field`` (not a database error). NULLs never clash."""

    columns: tuple[str, ...]
    field: str
    message: str


def merged(record: Any | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """The record's column values as they would be after applying ``data`` (only ``data`` when
    creating): rules that span several fields check this, as a PATCH may send only one."""
    if record is None:
        return dict(data)
    return {column.key: getattr(record, column.key)
            for column in type(record).__table__.columns} | dict(data)


def _exists(criterion: ColumnElement[bool]) -> bool:
    return bool(db.session.execute(select(exists().where(criterion))).scalar())


def _no_references(record: Any) -> Mapping[str, ColumnElement[bool]]:
    return {}


def _nothing(record: Any) -> None:
    return None


@dataclass(frozen=True)
class Rules:
    """Create, update and delete of one model, for its ``ResourceSpec``.

    ``check(data, record)`` validates and completes loaded ``data`` before it is applied
    (``record`` is ``None`` when creating; :func:`merged` gives the whole record to rules that
    span fields); ``defaults()`` fills in what a new record is not given; ``unique`` are the
    :class:`Unique` value sets refused as duplicates; ``used_by(record)`` maps a description
    ("contacts") to a condition: any match forbids deleting the record (409);
    ``before_delete(record)`` cleans up what goes with it (files, say). An owned record
    created without an owner belongs to the acting user.
    """

    model: type
    check: Callable[[dict, Any | None], None] | None = None
    defaults: Callable[[], dict] = dict
    unique: tuple[Unique, ...] = ()
    used_by: Callable[[Any], Mapping[str, ColumnElement[bool]]] = _no_references
    before_delete: Callable[[Any], None] = _nothing
    #: The noun a refused delete names the record by ("the account still has contacts").
    noun: str = field(default="record")

    def _validate(self, data: dict, record: Any | None) -> None:
        if self.check is not None:
            self.check(data, record)
        values = merged(record, data)
        for rule in self.unique:
            if any(values.get(column) is None for column in rule.columns):
                continue
            statement = select(self.model.id).where(
                *(getattr(self.model, column) == values[column] for column in rule.columns))
            if record is not None:
                statement = statement.where(self.model.id != record.id)
            if db.session.execute(statement.limit(1)).first() is not None:
                raise ValidationFailed({rule.field: [rule.message]})

    def create(self, data: dict) -> Any:
        """A new record from ``data`` (added to the session; the operation flushes it)."""
        self._validate(data, None)
        record = self.model(**{**self.defaults(), **data})
        if hasattr(self.model, "owner_id") and record.owner_id is None:
            record.owner_id = acting_user_id()
        db.session.add(record)
        return record

    def update(self, record: Any, data: dict) -> None:
        """Apply ``data`` to ``record``."""
        self._validate(data, record)
        for key, value in data.items():
            setattr(record, key, value)

    def delete(self, record: Any) -> None:
        """Delete ``record``; 409 while something in :attr:`used_by` still points at it."""
        used = [what for what, criterion in self.used_by(record).items() if _exists(criterion)]
        if used:
            raise Conflict(f"the {self.noun} still has {' and '.join(used)}; "
                           "move or delete them first")
        self.before_delete(record)
        db.session.delete(record)
        db.session.flush()

    def callbacks(self) -> dict[str, Callable]:
        """``create``, ``update`` and ``delete`` as ``ResourceSpec`` takes them."""
        return {"create": self.create, "update": self.update, "delete": self.delete}
