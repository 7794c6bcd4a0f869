"""Date expressions that differ between SQLite and PostgreSQL.

The core's :mod:`patron.db` has none yet (it has the JSON ones); these are small enough to
live here until it does.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Float, Integer


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


class month_index(FunctionElement):  # noqa: N801 - SQL function naming
    """``year * 12 + month - 1`` of a date, or of a timestamp in UTC (``NULL`` stays
    ``NULL``): months as consecutive integers, compared and grouped like numbers."""

    type = Integer()
    inherit_cache = True
    name = "month_index"


def month_number(day: date) -> int:
    """:class:`month_index` of ``day``, computed in Python."""
    return day.year * 12 + day.month - 1


def month_start(number: int) -> date:
    """The first day of the month :func:`month_number` numbers ``number``."""
    return date(number // 12, number % 12 + 1, 1)


@compiles(month_index)
def _month_sqlite(element, compiler, **kw):
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return (f"(CAST(strftime('%Y', {value}) AS INTEGER) * 12"
            f" + CAST(strftime('%m', {value}) AS INTEGER) - 1)")


@compiles(month_index, "postgresql")
def _month_postgres(element, compiler, **kw):
    (column,) = element.clauses
    value = compiler.process(column, **kw)
    if not isinstance(column.type, Date):  # a timestamp with time zone: its UTC month
        value = f"({value} AT TIME ZONE 'UTC')"
    return f"CAST(EXTRACT(YEAR FROM {value}) * 12 + EXTRACT(MONTH FROM {value}) - 1 AS INTEGER)"
