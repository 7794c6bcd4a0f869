"""A module's settings for the tenant: one row per tenant, read and changed like a record.

A module declares its settings as a :class:`TenantSettings` (the row's model, schema and
permission; the row is made with its defaults the first time anyone asks), and
:func:`patron.api.settings.register_settings` gives it ``GET`` and ``PATCH`` (optimistic
locking, ``<event>.updated`` with the changes, hence the audit log and webhooks). The model
carries ``UniqueConstraint("tenant_id")``: one row per tenant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from patron.db import db
from patron.records.operations import check_version, update_record
from patron.records.spec import ResourceSpec


@dataclass(frozen=True)
class TenantSettings:
    """The settings row of ``spec.model`` for the current tenant.

    ``defaults()`` gives the values of a new row; ``prepare(data)`` turns loaded data into
    column values before a change (keys a JSON column stores as strings, say).
    """

    spec: ResourceSpec
    defaults: Callable[[], dict] = dict
    prepare: Callable[[dict], dict] | None = None

    def current(self) -> Any:
        """The tenant's row (made with :attr:`defaults` the first time it is asked for)."""
        row = db.session.execute(select(self.spec.model)).scalar_one_or_none()
        if row is None:
            row = self.spec.model(**self.defaults())
            db.session.add(row)
            db.session.flush()
        return row

    def change(self, data: dict, expected_version: int | None = None) -> Any:
        """Apply loaded ``data`` to the tenant's row (409 when ``expected_version`` is stale);
        returns the row."""
        row = self.current()
        check_version(row, expected_version)
        update_record(self.spec, row, self.prepare(data) if self.prepare else data)
        return row
