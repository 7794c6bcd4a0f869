"""What a resource checks and fills in when its records are created, updated or deleted.

A :class:`Rules` gives a :class:`~patron.records.spec.ResourceSpec` (``rules=``) its create,
update and delete, single and batch, so the API, pages, imports and jobs apply the same
rules: the core's customer master and every plugin's resources use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, exists, select, tuple_

from patron.db import db, new_id
from patron.errors import Conflict, ValidationFailed
from patron.rbac.access import acting_user_id
from patron.records.readable import check_references


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
    """Create, update and delete of one model, for its ``ResourceSpec`` (``rules=``).

    ``references`` maps a field to the entity whose records its ids must name, records the
    user can read (checked first); ``check(data, record)`` validates and completes loaded
    ``data`` before it is applied (``record`` is ``None`` when creating; :func:`merged` gives
    the whole record to rules that span fields); ``defaults()`` fills in what a new record
    is not given; ``unique`` are the :class:`Unique` value sets refused as duplicates;
    ``used_by(record)`` maps a description ("contacts") to a condition: any match forbids
    deleting the record (409); ``before_delete(record)`` cleans up what goes with it (files,
    say). An owned record created without an owner belongs to the acting user.

    Every rule runs over a batch of rows at once (:meth:`create_many`, :meth:`update_many`):
    ``check`` row by row, but references and unique values with one query per batch, so an
    import of many rows costs a few queries per batch, not per row.
    """

    model: type
    check: Callable[[dict, Any | None], None] | None = None
    references: Mapping[str, str] = field(default_factory=dict)
    defaults: Callable[[], dict] = dict
    unique: tuple[Unique, ...] = ()
    used_by: Callable[[Any], Mapping[str, ColumnElement[bool]]] = _no_references
    before_delete: Callable[[Any], None] = _nothing
    #: The noun a refused delete names the record by ("the account still has contacts").
    noun: str = "record"

    def _validate(self, pairs: Sequence[tuple[dict, Any | None]]) -> None:
        # References first: a check must never run on an id the user may not see.
        for name, entity_name in self.references.items():
            check_references(name, entity_name, (data.get(name) for data, _ in pairs))
        if self.check is not None:
            for data, record in pairs:
                self.check(data, record)
        for rule in self.unique:
            self._refuse_duplicates(rule, pairs)

    def _refuse_duplicates(self, rule: Unique, pairs: Sequence[tuple[dict, Any | None]]
                           ) -> None:
        """422 when a row's values of ``rule`` repeat another row's of the batch or a record
        already there (one query for the batch)."""
        keys: dict[tuple, Any] = {}
        for data, record in pairs:
            values = merged(record, data)
            key = tuple(values.get(column) for column in rule.columns)
            if None in key:
                continue  # NULLs never clash in a unique constraint
            if key in keys:
                raise ValidationFailed({rule.field: [rule.message]})
            keys[key] = record.id if record is not None else None
        if not keys:
            return
        columns = [getattr(self.model, column) for column in rule.columns]
        wanted = (columns[0].in_([key[0] for key in keys]) if len(columns) == 1
                  else tuple_(*columns).in_(list(keys)))
        for row in db.session.execute(select(self.model.id, *columns).where(wanted)):
            if keys[tuple(row[1:])] != row[0]:
                raise ValidationFailed({rule.field: [rule.message]})

    def new_values(self, rows: Sequence[dict]) -> list[dict]:
        """The column values of new records made from loaded ``rows``, checked, with their
        defaults, ids and (for owned records) owners filled in."""
        self._validate([(data, None) for data in rows])
        defaults = self.defaults()
        owner = {"owner_id": acting_user_id()} if hasattr(self.model, "owner_id") else {}
        values = []
        for data in rows:
            row = {**defaults, **data}
            row["id"] = row.get("id") or new_id()
            if owner and row.get("owner_id") is None:
                row.update(owner)
            values.append(row)
        return values

    def create_many(self, rows: Sequence[dict]) -> list[Any]:
        """New records from loaded ``rows``, their ids assigned (added to the session; the
        operation flushes them, once for the batch)."""
        records = [self.model(**values) for values in self.new_values(rows)]
        db.session.add_all(records)
        return records

    def update_many(self, changes: Sequence[tuple[Any, dict]]) -> None:
        """Apply each loaded ``data`` to its ``record``."""
        self._validate([(data, record) for record, data in changes])
        for record, data in changes:
            for key, value in data.items():
                setattr(record, key, value)

    def create(self, data: dict) -> Any:
        """A new record from ``data`` (a batch of one)."""
        return self.create_many([data])[0]

    def update(self, record: Any, data: dict) -> None:
        """Apply ``data`` to ``record`` (a batch of one)."""
        self.update_many([(record, data)])

    def delete(self, record: Any) -> None:
        """Delete ``record``; 409 while something in :attr:`used_by` still points at it."""
        used = [what for what, criterion in self.used_by(record).items() if _exists(criterion)]
        if used:
            raise Conflict(f"the {self.noun} still has {' and '.join(used)}; "
                           "move or delete them first")
        self.before_delete(record)
        db.session.delete(record)
        db.session.flush()
