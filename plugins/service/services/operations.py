"""Create and update operations for the module's simple resources (queues, SLA policies,
holidays, ...): a duplicate of a unique constraint is a 422 on the offending field, never a
database error, and rules that span several fields are checked on the record as it would be
after the change (a PATCH may send only one of them).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from patron.sdk import ValidationFailed, db


@dataclass(frozen=True)
class Checked:
    """``create``/``update`` for ``ResourceSpec`` that refuse duplicates of ``unique``
    (reported on ``field`` with ``message``) and run ``check(values)`` on the merged record."""

    model: type
    unique: tuple[str, ...] = ()
    field: str = ""
    message: str = ""
    check: Callable[[dict], None] | None = None

    def _refuse_duplicate(self, values: dict, record_id: uuid.UUID | None) -> None:
        if not self.unique or any(values.get(column) is None for column in self.unique):
            return  # NULLs never clash in a unique constraint
        statement = select(self.model.id).where(
            *(getattr(self.model, column) == values.get(column) for column in self.unique))
        if record_id is not None:
            statement = statement.where(self.model.id != record_id)
        if db.session.execute(statement.limit(1)).first() is not None:
            raise ValidationFailed({self.field: [self.message]})

    def create(self, data: dict) -> Any:
        """Add a record made from ``data``."""
        if self.check:
            self.check(data)
        self._refuse_duplicate(data, None)
        record = self.model(**data)
        db.session.add(record)
        db.session.flush()
        return record

    def update(self, record: Any, data: dict) -> None:
        """Apply ``data`` to ``record``."""
        merged = {column.key: getattr(record, column.key)
                  for column in self.model.__table__.columns} | data
        if self.check:
            self.check(merged)
        self._refuse_duplicate(merged, record.id)
        for key, value in data.items():
            setattr(record, key, value)
        db.session.flush()
