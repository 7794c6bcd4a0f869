"""Wrong passwords counted per account in the database, so that every worker and every node
sees the same count without a shared cache (the per-address limits of flask-limiter are per
process without Redis).

After :data:`MAX_FAILURES` wrong passwords, each within :data:`WINDOW` of the one before, the
account refuses every password check — signing in, exchanging a password for a token,
changing the password — until :data:`WINDOW` has passed since the last one, whatever the
password; the right password then resets the count.

A wrong password is counted once the answer has gone out (``Response.call_on_close``), in a
transaction of its own: the failed request's rollback does not undo it, and the answer does
not wait for a write that an unknown account would not cause, so its timing tells nothing.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

from flask import Response, after_this_request, current_app, has_request_context
from sqlalchemy import case, update

from patron.auth.models import User
from patron.db import db, tenant_context

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


class AccountLocked(Exception):
    """Too many wrong passwords for this account; ``minutes`` until it may try again."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Too many wrong passwords for this account: try again in {minutes} "
                         "minutes.")
        self.minutes = minutes


def check_not_locked(user: User) -> None:
    """Raise :class:`AccountLocked` while ``user`` may not have a password checked."""
    if user.failed_sign_ins < MAX_FAILURES or user.failed_sign_in_at is None:
        return
    left = user.failed_sign_in_at + WINDOW - datetime.now(UTC)
    if left > timedelta(0):
        raise AccountLocked(max(1, math.ceil(left.total_seconds() / 60)))


def count_failure(user: User) -> None:
    """Count a wrong password for ``user`` after the request's answer has been sent (at once
    outside a request: the command line)."""
    if not has_request_context():
        record_failure(user.tenant_id, user.id)
        return
    app, tenant_id, user_id = current_app._get_current_object(), user.tenant_id, user.id

    @after_this_request
    def counted_after_answering(response: Response) -> Response:
        def record() -> None:
            with app.app_context(), tenant_context(tenant_id):
                record_failure(tenant_id, user_id)
                db.session.remove()

        response.call_on_close(record)
        return response


def record_failure(tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Count a wrong password for the user (a count older than the window starts again) and
    commit it."""
    now = datetime.now(UTC)
    recent = User.failed_sign_in_at > now - WINDOW
    db.session.execute(
        update(User).where(User.tenant_id == tenant_id, User.id == user_id)
        .values(failed_sign_ins=case((recent, User.failed_sign_ins + 1), else_=1),
                failed_sign_in_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()


def record_success(user: User) -> None:
    """Forget ``user``'s wrong passwords (written with the request's own changes)."""
    if user.failed_sign_ins:
        db.session.execute(
            update(User).where(User.tenant_id == user.tenant_id, User.id == user.id)
            .values(failed_sign_ins=0, failed_sign_in_at=None)
            .execution_options(synchronize_session=False))
