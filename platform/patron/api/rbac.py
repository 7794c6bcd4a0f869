"""``/users``, ``/roles`` and ``/departments``."""

from __future__ import annotations

import uuid

from flask_login import current_user
from sqlalchemy import exists, select

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import register_crud
from patron.auth.invitations import InvitationRefused, invite
from patron.auth.models import User
from patron.auth.schemas import InvitationSchema, UserSchema
from patron.auth.services import deactivate_user
from patron.db import db
from patron.errors import Conflict, ValidationFailed
from patron.rbac.access import get_scoped_or_404, require
from patron.rbac.models import Department, Role
from patron.rbac.schemas import DepartmentSchema, RoleSchema
from patron.rbac.services import (
    create_department,
    create_role,
    delete_role,
    move_department,
    set_manager,
    update_role,
)
from patron.rbac.users import create_user
from patron.records.spec import ResourceSpec

blp = PatronBlueprint("directory", __name__, description="Users, roles and departments")


def _exists(model, record_id) -> bool:
    return db.session.execute(select(exists().where(model.id == record_id))).scalar()


def _check_refs(data: dict) -> None:
    errors = {}
    if "role_id" in data and not _exists(Role, data["role_id"]):
        errors["role_id"] = ["No such role."]
    if data.get("department_id") and not _exists(Department, data["department_id"]):
        errors["department_id"] = ["No such department."]
    if errors:
        raise ValidationFailed(errors)


def _create_user(data: dict) -> User:
    _check_refs(data)
    role = db.session.execute(select(Role.key).where(Role.id == data["role_id"])).scalar_one()
    user = create_user(
        data["email"], name=data.get("name", ""), password=data.get("password"), role=role,
        department_id=data.get("department_id"), manager_id=data.get("manager_id"),
    )
    if data.get("is_active") is False:
        deactivate_user(user)
    return user


def _update_user(user: User, data: dict) -> None:
    _check_refs(data)
    if "email" in data or "password" in data:
        raise ValidationFailed({k: ["Users change this themselves."]
                                for k in ("email", "password") if k in data})
    if "manager_id" in data:
        set_manager(user, data.pop("manager_id"))
    active = data.pop("is_active", None)
    if active is False and user.id == current_user.id:
        raise ValidationFailed({"is_active": ["You cannot deactivate yourself."]})
    deactivate = active is False and user.is_active
    reactivate = active is True
    for key, value in data.items():
        setattr(user, key, value)
    if reactivate:
        user.is_active = True
    if deactivate:
        deactivate_user(user)
    db.session.flush()


def _create_department(data: dict) -> Department:
    return create_department(data["name"], data.get("parent_id"))


def _update_department(department: Department, data: dict) -> None:
    if "parent_id" in data:
        move_department(department, data.pop("parent_id"))
    for key, value in data.items():
        setattr(department, key, value)
    db.session.flush()


def _delete_department(department: Department) -> None:
    if db.session.execute(select(exists().where(Department.parent_id == department.id))).scalar():
        raise Conflict("the department has sub-departments")
    if db.session.execute(select(exists().where(User.department_id == department.id))).scalar():
        raise Conflict("the department still has users")
    db.session.delete(department)
    db.session.flush()


register_crud(blp, ResourceSpec(
    name="users", model=User, schema=UserSchema, permission="core.users", event="user",
    filterable=("email", "is_active", "role_id", "department_id", "manager_id"),
    searchable=("email", "name"), sortable=("email", "name", "created_at"),
    create=_create_user, update=_update_user, deletable=False,
))
register_crud(blp, ResourceSpec(
    name="roles", model=Role, schema=RoleSchema, permission="core.roles", event="role",
    filterable=("key",), searchable=("name", "key"), sortable=("name", "key"),
    create=create_role, update=update_role, delete=delete_role,
))
register_crud(blp, ResourceSpec(
    name="departments", model=Department, schema=DepartmentSchema,
    permission="core.departments", event="department", filterable=("parent_id",),
    searchable=("name",), sortable=("name", "path"),
    create=_create_department, update=_update_department, delete=_delete_department,
))


@blp.route("/users/<uuid:record_id>/invitation", methods=["POST"])
@blp.response(202, InvitationSchema)
def send_invitation(record_id: uuid.UUID) -> dict:
    """Invite a user who has no password yet to choose one (e-mailed when a mail server is
    set up; the link also comes back, to pass on yourself); 409 once they can sign in"""
    require("core.users.create")
    user = get_scoped_or_404(User, record_id, "core.users")
    try:
        link, mailed = invite(user, current_user.name)
    except InvitationRefused as error:
        raise Conflict(str(error)) from error
    return {"link": link, "mailed": mailed}
