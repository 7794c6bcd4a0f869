"""Buttons modules add to the core's record pages, through ``patron_record_actions``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from patron.plugins.services import tenant_hooks
from patron.rbac.access import can

T = TypeVar("T")


class RecordAction(NamedTuple):
    """A link drawn as a button on a record's page; hidden from users lacking ``permission``."""

    label: str
    url: str
    permission: str | None = None


def permitted(kind: Callable[..., T], batches: Iterable[Iterable | None]) -> list[T]:
    """The items of a hook's ``batches`` (one list per module) as ``kind`` tuples, without
    those whose permission (their third member) the user lacks."""
    return [kind(*item) for batch in batches for item in batch or []
            if len(item) < 3 or item[2] is None or can(item[2])]


def record_actions(entity: str, record: Any) -> list[RecordAction]:
    """The buttons the tenant's enabled modules offer for ``record``, as the user may use."""
    return permitted(RecordAction,
                     tenant_hooks().patron_record_actions(entity=entity, record=record))
