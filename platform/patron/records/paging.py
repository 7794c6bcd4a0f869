"""Keyset pagination: ``limit`` + opaque ``cursor``, stable under inserts (docs/API.md).

The cursor encodes the sort-key values of the last row of a page; the next page is the rows
strictly after it in the sort order. Nullable sort keys sort NULLs last on every database, so
a page boundary means the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, or_

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadCursor(ValueError):
    """The cursor was not made by this list (or was tampered with)."""


@dataclass(frozen=True)
class SortKey:
    """One ``ORDER BY`` component."""

    expression: ColumnElement
    descending: bool = False
    python_type: type = str

    def ordered(self) -> ColumnElement:
        return self.expression.desc() if self.descending else self.expression.asc()


def expand(keys: list[tuple[ColumnElement, bool, bool]]) -> list[SortKey]:
    """Turn ``(expression, descending, nullable)`` into sort keys, NULLs-last flags included."""
    expanded: list[SortKey] = []
    for expression, descending, nullable in keys:
        if nullable:
            expanded.append(SortKey(case((expression.is_(None), 1), else_=0), False, int))
        try:
            python_type = expression.type.python_type
        except NotImplementedError:
            python_type = str
        expanded.append(SortKey(expression, descending, python_type))
    return expanded


def _encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode_value(value: Any, python_type: type) -> Any:
    if value is None or isinstance(value, bool) or python_type in (str, int, float, bool):
        return value
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    return value


def encode_cursor(row_values: list[Any]) -> str:
    """The opaque cursor for a row whose sort-key values are ``row_values``."""
    raw = json.dumps([_encode_value(v) for v in row_values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[SortKey]) -> list[Any]:
    """The sort-key values a cursor carries; :class:`BadCursor` if it does not fit ``keys``."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [_decode_value(v, k.python_type) for v, k in zip(values, keys, strict=True)]
    except (ValueError, TypeError) as error:
        raise BadCursor("not a valid cursor for this list") from error


def after(keys: list[SortKey], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys`` (lexicographic, NULL-aware)."""
    terms = []
    equal_so_far: list[ColumnElement[bool]] = []
    for key, value in zip(keys, values, strict=True):
        if value is not None:
            beyond = key.expression < value if key.descending else key.expression > value
            terms.append(and_(*equal_so_far, beyond))
            equal_so_far.append(key.expression == value)
        else:
            equal_so_far.append(key.expression.is_(None))
    if not terms:
        return false()
    condition = or_(*terms)
    first, first_value = keys[0], values[0]
    if first_value is None:
        return condition
    # The same condition, plus the range of the leading key it implies: without it, the OR
    # hides the range from the planner, which then reads every row after the cursor and sorts
    # them (a deep page of a large list cost as much as the whole list; issue 6).
    bound = first.expression <= first_value if first.descending else (
        first.expression >= first_value)
    return and_(bound, condition)


def paginate(
    statement: Select, keys: list[SortKey], limit: int, cursor: str | None, session,
    *, view: type | None = None,
) -> tuple[list[Any], str | None]:
    """Run ``statement`` for one page; returns ``(records, next_cursor)``.

    The sort-key values are selected alongside the records, so making the next cursor costs
    no extra query. With ``view`` (a :class:`~patron.records.views.RecordView` class), the
    statement selects a record's columns rather than its entity, and each row becomes a view.
    """
    if cursor:
        statement = statement.where(after(keys, decode_cursor(cursor, keys)))
    selected = [column["name"] for column in statement.column_descriptions]
    statement = statement.add_columns(*(k.expression for k in keys))
    statement = statement.order_by(*(k.ordered() for k in keys)).limit(limit + 1)
    rows = session.execute(statement).all()
    page = rows[:limit]
    width = len(selected)
    next_cursor = encode_cursor(list(page[-1][width:])) if len(rows) > limit and page else None
    if view is None:
        return [row[0] for row in page], next_cursor
    return [view(dict(zip(selected, row[:width], strict=True))) for row in page], next_cursor
