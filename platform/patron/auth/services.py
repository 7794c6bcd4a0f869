"""Operations on users: create, sign in, change password, deactivate."""

from __future__ import annotations

import uuid

from patron.api.problems import FieldError
from patron.auth.models import User
from patron.auth.passwords import MIN_LENGTH, hash_password, verify_password
from patron.auth.sessions import revoke_user_sessions
from patron.auth.tokens import revoke_user_tokens
from patron.db import db, new_id
from patron.rbac.services import RbacError, role_by_key, set_manager


class UserError(FieldError):
    """A user change was refused; ``field`` names the input at fault."""


def check_password_strength(password: str) -> None:
    """Refuse passwords shorter than :data:`MIN_LENGTH`."""
    if len(password or "") < MIN_LENGTH:
        raise UserError("password", f"must be at least {MIN_LENGTH} characters")


def user_by_email(email: str) -> User | None:
    """The current tenant's user with ``email`` (case-insensitive)."""
    return db.session.execute(
        db.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def create_user(
    email: str,
    *,
    name: str = "",
    password: str | None = None,
    role: str = "read_only",
    department_id: uuid.UUID | None = None,
    manager_id: uuid.UUID | None = None,
) -> User:
    """Add a user to the current tenant with the role keyed ``role``."""
    email = email.strip().lower()
    if "@" not in email:
        raise UserError("email", "not a valid e-mail address")
    if user_by_email(email) is not None:
        raise UserError("email", f"a user with e-mail {email} already exists")
    role_row = role_by_key(role)
    if role_row is None:
        raise UserError("role", f"no role {role!r}")
    if password is not None:
        check_password_strength(password)
    user = User(
        id=new_id(), email=email, name=name or email.split("@")[0], role_id=role_row.id,
        department_id=department_id,
        password_hash=hash_password(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.flush()
    try:
        set_manager(user, manager_id)
    except RbacError as error:
        raise UserError(error.field, str(error)) from error
    return user


def authenticate_password(email: str, password: str) -> User | None:
    """The active user of the current tenant with these credentials, or None."""
    user = user_by_email(email or "")
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        return None
    return user


def change_password(user: User, new_password: str, keep_session: str | None = None) -> None:
    """Set a new password and end every other session of the user."""
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    revoke_user_sessions(user, keep=keep_session)
    db.session.flush()


def deactivate_user(user: User) -> None:
    """Deactivate ``user``: every session and API token of theirs stops working at once."""
    user.is_active = False
    revoke_user_sessions(user)
    revoke_user_tokens(user)
    db.session.flush()
