"""Operations on users: sign in, change password, deactivate (creating one, with a role, is
:func:`patron.rbac.users.create_user`)."""

from __future__ import annotations

from patron.auth.models import User
from patron.auth.passwords import MIN_LENGTH, hash_password, verify_nobody, verify_password
from patron.auth.sessions import revoke_user_sessions
from patron.auth.throttling import check_not_locked, count_failure, record_success
from patron.auth.tokens import revoke_user_tokens
from patron.db import db
from patron.errors import FieldError


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


def authenticate_password(email: str, password: str) -> User | None:
    """The active user of the current tenant with these credentials, or None; raises
    :class:`~patron.auth.throttling.AccountLocked` after too many wrong passwords."""
    user = user_by_email(email or "")
    if user is None or not user.is_active or not user.password_hash:
        verify_nobody(password)
        return None
    return user if check_password(user, password) else None


def check_password(user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s, counting a wrong one against the account
    (:mod:`patron.auth.throttling`: :class:`AccountLocked` once there were too many)."""
    check_not_locked(user)
    if verify_password(user.password_hash, password):
        record_success(user)
        return True
    count_failure(user)
    return False


def change_password(user: User, new_password: str, keep_session: str | None = None) -> None:
    """Set a new password, end every other session of the user and revoke their API tokens
    (a token made with the old password must not outlive it)."""
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    revoke_user_sessions(user, keep=keep_session)
    revoke_user_tokens(user)
    db.session.flush()


def deactivate_user(user: User) -> None:
    """Deactivate ``user``: every session and API token of theirs stops working at once."""
    user.is_active = False
    revoke_user_sessions(user)
    revoke_user_tokens(user)
    db.session.flush()
