"""List filters of docs/API.md: ``field=``, ``__in``, ``__gte``, ``__lte``, ``__contains``,
``q``, ``owner=me`` and ``sort``. Unknown parameters and unparsable values are 422, never
silently ignored (a typo in a filter must not return everything).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from patron.records.paging import SortKey, expand

OPERATORS = ("in", "gte", "lte", "contains")
#: Escapes ``%``, ``_`` and itself in a ``LIKE`` pattern made of what a user typed.
LIKE_ESCAPE = "\\"


def like_escaped(text: str) -> str:
    """``text`` matched literally inside a ``LIKE`` pattern: ``_`` is an underscore, not any
    character, and ``%`` a percent sign."""
    return (text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%")
            .replace("_", LIKE_ESCAPE + "_"))


#: Query parameters every list understands besides the filters.
RESERVED = {"limit", "cursor", "count", "sort", "q", "owner"}


@dataclass
class FilterSet:
    """What a resource lets clients filter, search and sort on."""

    columns: dict[str, Any]  # public field name -> column attribute
    searchable: tuple[str, ...] = ()
    sortable: tuple[str, ...] = ()
    default_sort: str = "-id"
    #: ``field=value`` criteria that an index serves better than ``column == value``.
    equality: dict[str, Callable[[Any], ColumnElement[bool]]] = field(default_factory=dict)


def _python_type(column) -> type:
    try:
        return column.type.python_type
    except NotImplementedError:
        return str


#: What a filter value of each type must look like, in the schemas' words
#: (:data:`patron.schemas.PLAIN_MESSAGES`).
INVALID = {int: "Enter a whole number.", Decimal: "Enter a number.", float: "Enter a number.",
           datetime: "Enter a date and time.", date: "Enter a date (YYYY-MM-DD).",
           uuid.UUID: "Not a valid UUID."}


def convert(value: str, python_type: type) -> Any:
    """Parse one query-string value as ``python_type``; :class:`ValueError` if it cannot be."""
    if python_type is bool:
        lowered = value.lower()
        if lowered not in {"true", "false", "1", "0"}:
            raise ValueError("Not a valid boolean.")
        return lowered in {"true", "1"}
    try:
        if python_type is uuid.UUID:
            return uuid.UUID(value)
        if python_type is int:
            return int(value)
        if python_type is Decimal:
            return Decimal(value)
        if python_type is float:
            return float(value)
        if python_type is datetime:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("Give a UTC offset, e.g. 2026-01-31T09:00:00+00:00.")
            return moment
        if python_type is date:
            return date.fromisoformat(value)
    except (ValueError, InvalidOperation) as error:
        raise ValueError(INVALID.get(python_type, f"Not a valid {python_type.__name__}.")
                         ) from error
    return value


def build_criteria(
    args: dict[str, str], filters: FilterSet, owner_column=None, user_id=None
) -> tuple[list[ColumnElement[bool]], dict[str, list[str]]]:
    """Translate query parameters into WHERE criteria; returns ``(criteria, errors)``."""
    criteria: list[ColumnElement[bool]] = []
    errors: dict[str, list[str]] = {}
    for param, raw in args.items():
        if param in RESERVED - {"q", "owner"}:
            continue
        if param == "q":
            if raw.strip() and filters.searchable:
                pattern = f"%{like_escaped(raw.strip())}%"
                criteria.append(or_(*(filters.columns[n].ilike(pattern, escape=LIKE_ESCAPE)
                                      for n in filters.searchable)))
            continue
        if param == "owner":
            if owner_column is None or raw != "me":
                errors[param] = ["Only owner=me is supported on this resource."
                                 if owner_column is not None else "Unknown filter."]
            else:
                criteria.append(owner_column == user_id)
            continue
        name, _, operator = param.partition("__")
        column = filters.columns.get(name)
        if column is None or (operator and operator not in OPERATORS):
            errors[param] = ["Unknown filter."]
            continue
        python_type = _python_type(column)
        try:
            if operator == "in":
                values = [convert(v, python_type) for v in raw.split(",") if v != ""]
                criteria.append(column.in_(values))
            elif operator == "contains":
                criteria.append(column.ilike(f"%{like_escaped(raw)}%", escape=LIKE_ESCAPE))
            else:
                value = convert(raw, python_type)
                criteria.append(
                    column >= value if operator == "gte"
                    else column <= value if operator == "lte"
                    else filters.equality[name](value) if name in filters.equality
                    else column == value
                )
        except ValueError as error:
            errors[param] = [str(error)]
    return ([and_(*criteria)] if criteria else []), errors


def build_sort(raw: str | None, filters: FilterSet) -> tuple[list[SortKey], dict[str, list[str]]]:
    """Translate ``sort=field,-other`` into sort keys, ``id`` last as the tie-breaker."""
    spec = [s.strip() for s in (raw or filters.default_sort).split(",") if s.strip()]
    keys: list[tuple] = []
    unknown = []
    for item in spec:
        descending = item.startswith("-")
        name = item.lstrip("-")
        if name == "id":
            continue
        column = filters.columns.get(name)
        if column is None or name not in filters.sortable:
            unknown.append(name)
            continue
        nullable = getattr(getattr(column, "expression", column), "nullable", True)
        keys.append((column, descending, bool(nullable)))
    id_descending = spec[-1].startswith("-") if spec else True
    keys.append((filters.columns["id"], id_descending, False))
    errors = {"sort": [f"Cannot sort by: {', '.join(unknown)}."]} if unknown else {}
    return expand(keys), errors
