"""Buttons modules add to the core's record pages, through ``patron_record_actions``."""

from __future__ import annotations

from typing import Any, NamedTuple

from patron.plugins.manager import tenant_hooks
from patron.rbac.access import can


class RecordAction(NamedTuple):
    """A link drawn as a button on a record's page; hidden from users lacking ``permission``."""

    label: str
    url: str
    permission: str | None = None


def record_actions(entity: str, record: Any) -> list[RecordAction]:
    """The buttons the tenant's enabled modules offer for ``record``, as the user may use."""
    return [
        RecordAction(*action)
        for batch in tenant_hooks().patron_record_actions(entity=entity, record=record)
        for action in batch or []
        if len(action) < 3 or action[2] is None or can(action[2])
    ]
