"""JSON operations that differ between SQLite and PostgreSQL, as SQL expressions."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import JSON, Boolean


class json_has_key(FunctionElement):  # noqa: N801 - SQL function naming
    """``column ? key`` on PostgreSQL, ``json_type(column, '$.key') IS NOT NULL`` on SQLite."""

    type = Boolean()
    inherit_cache = True
    name = "json_has_key"


@compiles(json_has_key)
def _has_key_default(element, compiler, **kw):
    column, key = list(element.clauses)
    path = f"'$.' || {compiler.process(key, **kw)}"
    return f"json_type({compiler.process(column, **kw)}, {path}) IS NOT NULL"


@compiles(json_has_key, "postgresql")
def _has_key_postgres(element, compiler, **kw):
    column, key = list(element.clauses)
    return f"jsonb_exists({compiler.process(column, **kw)}, {compiler.process(key, **kw)})"


class json_without_key(FunctionElement):  # noqa: N801 - SQL function naming
    """``column - key`` on PostgreSQL, ``json_remove(column, '$.key')`` on SQLite."""

    type = JSON()
    inherit_cache = True
    name = "json_without_key"


@compiles(json_without_key)
def _without_key_default(element, compiler, **kw):
    column, key = list(element.clauses)
    return f"json_remove({compiler.process(column, **kw)}, '$.' || {compiler.process(key, **kw)})"


@compiles(json_without_key, "postgresql")
def _without_key_postgres(element, compiler, **kw):
    column, key = list(element.clauses)
    return f"({compiler.process(column, **kw)} - {compiler.process(key, **kw)})"


def json_value(column, key: str, kind: str) -> ColumnElement:
    """``column[key]`` as a typed SQL value, for filtering and sorting on custom fields."""
    element = column[key]
    if kind == "number":
        return element.as_integer()
    if kind == "decimal":
        return element.as_numeric(28, 10)
    if kind == "boolean":
        return element.as_boolean()
    return element.as_string()



class json_contains_value(FunctionElement):  # noqa: N801 - SQL function naming
    """``column @> jsonb_build_object(key, value)``: ``column[key]`` equals ``value``, in a
    form a GIN ``jsonb_path_ops`` index serves (PostgreSQL only)."""

    type = Boolean()
    inherit_cache = True
    name = "json_contains_value"


@compiles(json_contains_value, "postgresql")
def _contains_value_postgres(element, compiler, **kw):
    column, key, value = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({column} @> jsonb_build_object({key}, {value}))"


#: Custom-field types whose values are stored in one canonical JSON form (the string, number
#: or boolean itself; a date as ISO text), so that equality is containment. Decimals and
#: datetimes are not: "0.50" equals "0.5", and offsets vary.
CONTAINMENT_TYPES = frozenset({"text", "long_text", "email", "phone", "url", "select", "user",
                               "number", "boolean", "date"})
