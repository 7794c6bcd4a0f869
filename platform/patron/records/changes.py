"""What an update changed: the ``{field: [before, after]}`` of every ``*.updated`` event and
audit row, computed the same way for every record, core or plugin."""

from __future__ import annotations

from typing import Any

from patron.db.mixins import BOOKKEEPING_FIELDS


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field of the dumped record ``after`` whose value
    differs from ``before``'s, leaving out bookkeeping (``id``, ``version``, timestamps)."""
    return {key: [before.get(key), value] for key, value in after.items()
            if key not in BOOKKEEPING_FIELDS and before.get(key) != value}
