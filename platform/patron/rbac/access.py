"""The one place permission and data-scope checks are applied to reads and writes.

Every list, read, update and delete of an owned resource goes through :func:`scoped_select`
or :func:`get_scoped_or_404`; an out-of-scope record is indistinguishable from a missing one
(404), so existence is never disclosed (docs/API.md).
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import Select, or_, select

from patron.auth.models import User
from patron.db import db
from patron.rbac.models import Role
from patron.rbac.permissions import grants
from patron.rbac.scopes import ALL, OWN, scope_criteria
from patron.rbac.sharing import shared_criteria

M = TypeVar("M")


def current_role() -> Role | None:
    """The signed-in user's role, read once per request (token sign-in loads it with the
    user, so then not even once)."""
    if not current_user.is_authenticated:
        return None
    if "_patron_role" not in g:
        g._patron_role = current_user.role
    return g._patron_role


def role_of(user: User) -> Role | None:
    """``user``'s role: the signed-in user's as :func:`current_role` keeps it, anyone
    else's from their row."""
    if has_request_context() and current_user.is_authenticated and current_user.id == user.id:
        return current_role()
    return user.role


def can(permission: str) -> bool:
    """Whether the signed-in user holds ``permission``."""
    role = current_role()
    return role is not None and grants(role.permissions, permission)


def require(permission: str) -> None:
    """Abort with 401 when nobody is signed in, 403 when the permission is missing."""
    if not current_user.is_authenticated:
        abort(401)
    if not can(permission):
        abort(403, description=f"missing permission {permission}")


def scope_for(resource: str, user: User | None = None) -> str:
    """The data scope on ``resource`` of ``user`` (default: the signed-in user): their role's
    scope for it, or the role's default."""
    role = current_role() if user is None else role_of(user)
    if role is None:
        return OWN
    return role.scopes.get(resource, role.default_scope)


def scoped_select(model: type[M], resource: str, *, shared: bool = False,
                  user: User | None = None) -> Select[tuple[M]]:
    """``SELECT model`` limited to the records ``user`` (default: the signed-in user) may see.

    ``shared``: also the records shared with them (:mod:`patron.rbac.sharing`): for reads
    only, never for a change.
    """
    statement = select(model)
    if hasattr(model, "owner_id"):
        user = user or current_user._get_current_object()
        scope = scope_for(resource, user)
        criteria = scope_criteria(model.owner_id, user, scope)
        extra = shared_criteria(model, user) if shared and scope != ALL else None
        statement = statement.where(criteria if extra is None else or_(criteria, extra))
    return statement


def get_scoped_or_404(model: type[M], record_id: uuid.UUID, resource: str, *,
                      shared: bool = False) -> M:
    """The record with ``record_id`` if it exists in the tenant and the user's scope (or, with
    ``shared``, is shared with them); else 404."""
    record = db.session.execute(
        scoped_select(model, resource, shared=shared).where(model.id == record_id)
    ).scalar_one_or_none()
    if record is None:
        abort(404)
    return record


def in_scope(model: type, record_id: uuid.UUID, resource: str) -> bool:
    """Whether the record is in the user's own data scope, not only shared with them: what
    changing it takes (pages use it to offer their forms)."""
    return bool(db.session.execute(
        select(scoped_select(model, resource).where(model.id == record_id).exists())
    ).scalar())


def acting_user_id() -> uuid.UUID | None:
    """The signed-in user's id; ``None`` for the CLI, the worker and anonymous requests."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None


def require_user() -> User:
    """The signed-in :class:`User` itself (not the Flask-Login proxy); 401 if nobody is."""
    if not current_user.is_authenticated:
        abort(401)
    return current_user._get_current_object()
