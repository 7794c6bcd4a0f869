"""Finding the records a row duplicates (``on_duplicate``), among those the user may see.

The entity says which fields identify a record (:attr:`patron.entities.Entity.match_on`):
accounts by domain, else by name; contacts by e-mail. Values compare case-insensitively (on
SQLite only ASCII letters fold, as SQLite's ``lower()`` folds only those). Records outside
the importing user's data scope are not found, so a row never reveals or touches them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func

from patron.db import db
from patron.errors import ValidationFailed
from patron.imports.models import CREATE, SKIP, UPDATE
from patron.imports.target import Target
from patron.rbac.access import scoped_select

Key = tuple[str, str]


class Matcher:
    """Duplicate lookups for one target and ``on_duplicate`` choice, a batch at a time."""

    def __init__(self, target: Target, on_duplicate: str) -> None:
        self.model = target.spec.model
        self.permission = target.spec.permission
        self.label = target.entity.label.lower()
        self.fields = target.entity.match_on if on_duplicate != CREATE else ()
        self.on_duplicate = on_duplicate

    def key(self, values: Mapping[str, Any]) -> Key | None:
        """``(field, folded value)`` of the first match field ``values`` has a value for."""
        for field in self.fields:
            value = values.get(field)
            if value is not None and str(value).strip():
                return field, str(value).strip().lower()
        return None

    def existing(self, keys: Iterable[Key | None]) -> dict[Key, list[Any]]:
        """The records each key finds (one query per match field for the whole batch)."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for key in keys:
            if key is not None:
                wanted[key[0]].add(key[1])
        found: dict[Key, list[Any]] = defaultdict(list)
        for field, values in wanted.items():
            column = getattr(self.model, field)
            records = db.session.execute(
                scoped_select(self.model, self.permission)
                .where(func.lower(column).in_(values)).order_by(self.model.id)
            ).scalars()
            for record in records:
                found[(field, str(getattr(record, field)).strip().lower())].append(record)
        return found

    def decide(self, key: Key | None, found: list[Any]) -> tuple[str, Any | None]:
        """What a row that finds ``found`` does: ``(CREATE|UPDATE|SKIP, record to update)``.

        Updating is refused (422 on the match field) when the row finds several records.
        """
        if not found:
            return CREATE, None
        if self.on_duplicate == SKIP:
            return SKIP, None
        if len(found) > 1:
            assert key is not None
            raise ValidationFailed({key[0]: [
                f"{len(found)} existing {self.label} records have this value; "
                "make it unique before updating from a file."]})
        return UPDATE, found[0]
