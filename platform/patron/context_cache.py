"""Values read once per application context — a request, a job, one round of the worker —
and read again after the rows they come from change.

A list page, an import of many rows or a burst of events would otherwise ask the database
the same question (the tenant's custom fields, its active webhooks) once per record. Entries
live in ``flask.g``, so they never outlive the context; :func:`forget_on_change` drops a
namespace whenever a row of the model it depends on is inserted, updated or deleted in
this context, so a change is seen by the next read of the same request.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import g, has_app_context
from sqlalchemy import event

T = TypeVar("T")
PREFIX = "_patron_cache_"


def cached(namespace: str, key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s result for ``key`` in ``namespace``, computed once per app context.

    Callers must not change the value they get back: later callers share it.
    """
    entries: dict[Hashable, Any] = g.setdefault(PREFIX + namespace, {})
    if key not in entries:
        entries[key] = load()
    return entries[key]


def forget(namespace: str) -> None:
    """Drop every entry of ``namespace`` (a no-op outside an app context)."""
    if has_app_context():
        g.pop(PREFIX + namespace, None)


def forget_on_change(model: type, namespace: str) -> None:
    """Drop ``namespace`` whenever a ``model`` row is inserted, updated or deleted."""
    def _changed(_mapper, _connection, _target) -> None:
        forget(namespace)

    for name in ("after_insert", "after_update", "after_delete"):
        event.listen(model, name, _changed)
