"""Counting the SQL statements a block runs, for tests that a page or a list costs a constant
number of queries whatever its size (no N+1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from patron.db import db


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    """The statements run on ``app``'s engine inside the block, in order."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
