"""A date arithmetic expression that differs between SQLite and PostgreSQL.

The core's :mod:`patron.db` has none yet (it has the JSON ones); this one is small enough to
live here until it does.
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Float


class days_between(FunctionElement):  # noqa: N801 - SQL function naming
    """``end - start`` in (fractional) days, for two timestamps."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


@compiles(days_between, "postgresql")
def _days_postgres(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
