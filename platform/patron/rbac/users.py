"""Adding people to a tenant: a user with a role, a department and a manager."""

from __future__ import annotations

import uuid

from patron.auth.models import User
from patron.auth.passwords import hash_password
from patron.auth.services import UserError, check_password_strength, user_by_email
from patron.db import db, new_id
from patron.rbac.services import RbacError, role_by_key, set_manager


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
