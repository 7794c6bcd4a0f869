"""Claiming queued work (an import, a bulk action) so that of several workers one takes it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update

from patron.db import db
from patron.db.mixins import utcnow


def claim_oldest(model: type, claimable: Callable[[datetime], ColumnElement[bool]],
                 values: Callable[[datetime], dict[str, Any]]) -> uuid.UUID | None:
    """Take the oldest row of ``model`` that is ``claimable(now)`` in the current tenant,
    setting ``values(now)`` on it; commits, and returns its id (``None``: nothing waits).

    The conditional UPDATE is the claim: when two workers pick the same row, one updates it
    and the other looks again.
    """
    while True:
        now = utcnow()
        row_id = db.session.execute(
            select(model.id).where(claimable(now)).order_by(model.id).limit(1)
        ).scalar()
        if row_id is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(model).where(model.id == row_id, claimable(now)).values(**values(now))
        ).rowcount == 1
        db.session.commit()
        if claimed:
            return row_id
