"""Running background work as the user who asked for it (an import, a bulk action)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from flask_login import login_user

from patron.auth.models import User
from patron.db import db, require_tenant_id


@contextmanager
def signed_in_as(user_id: uuid.UUID | None, path: str) -> Iterator[User | None]:
    """Run a block as user ``user_id`` of the current tenant, in a request for ``path``.

    The block gets an application context of its own (its own session and ``g``) and a
    request context in which that user is signed in, as in the request the work stands for:
    permission checks, data scopes, field rules and the audit log (whose interface the path
    decides) then all know who acts. Yields ``None`` when the user no longer exists or has
    been deactivated: the caller says what that means for its work.
    """
    app = current_app._get_current_object()
    with app.app_context(), app.test_request_context(path):
        user = db.session.get(User, (require_tenant_id(), user_id)) if user_id else None
        yield user if user is not None and login_user(user) else None
