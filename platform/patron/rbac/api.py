"""``/users``, ``/roles`` and ``/departments``."""

from __future__ import annotations

from sqlalchemy import exists, select

from patron.api import PatronBlueprint, ResourceSpec, ValidationFailed, register_crud
from patron.api.problems import Conflict
from patron.auth.models import User
from patron.auth.schemas import UserSchema
from patron.auth.services import UserError, create_user, deactivate_user
from patron.db import db
from patron.rbac.models import Department, Role
from patron.rbac.schemas import DepartmentSchema, RoleSchema
from patron.rbac.services import (
    RbacError,
    create_department,
    move_department,
    set_manager,
    validate_role_grants,
)

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
    try:
        user = create_user(
            data["email"], name=data.get("name", ""), password=data.get("password"), role=role,
            department_id=data.get("department_id"), manager_id=data.get("manager_id"),
        )
    except UserError as error:
        raise ValidationFailed({error.field: [str(error)]}) from error
    if data.get("is_active") is False:
        deactivate_user(user)
    return user


def _update_user(user: User, data: dict) -> None:
    _check_refs(data)
    if "email" in data or "password" in data:
        raise ValidationFailed({k: ["Users change this themselves."]
                                for k in ("email", "password") if k in data})
    try:
        if "manager_id" in data:
            set_manager(user, data.pop("manager_id"))
    except RbacError as error:
        raise ValidationFailed({error.field: [str(error)]}) from error
    deactivate = data.pop("is_active", None) is False and user.is_active
    reactivate = data.get("is_active") is True
    for key, value in data.items():
        setattr(user, key, value)
    if reactivate:
        user.is_active = True
    if deactivate:
        deactivate_user(user)
    db.session.flush()


def _update_role(role: Role, data: dict) -> None:
    if role.key == "admin" and ({"permissions", "key"} & data.keys()):
        raise ValidationFailed({"permissions": ["The admin role always holds every permission."]})
    _validate_role(data)
    for key, value in data.items():
        setattr(role, key, value)
    db.session.flush()


def _validate_role(data: dict) -> None:
    try:
        validate_role_grants(data.get("permissions"), data.get("scopes"))
    except RbacError as error:
        raise ValidationFailed({error.field: [str(error)]}) from error


def _create_role(data: dict) -> Role:
    _validate_role(data)
    if db.session.execute(select(exists().where(Role.key == data["key"]))).scalar():
        raise ValidationFailed({"key": ["A role with this key already exists."]})
    role = Role(**data)
    db.session.add(role)
    db.session.flush()
    return role


def _delete_role(role: Role) -> None:
    if role.is_system:
        raise Conflict("default roles cannot be deleted; edit them instead")
    if db.session.execute(select(exists().where(User.role_id == role.id))).scalar():
        raise Conflict("the role is still assigned to users")
    db.session.delete(role)
    db.session.flush()


def _create_department(data: dict) -> Department:
    try:
        return create_department(data["name"], data.get("parent_id"))
    except RbacError as error:
        raise ValidationFailed({error.field: [str(error)]}) from error


def _update_department(department: Department, data: dict) -> None:
    try:
        if "parent_id" in data:
            move_department(department, data.pop("parent_id"))
    except RbacError as error:
        raise ValidationFailed({error.field: [str(error)]}) from error
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
    create=_create_role, update=_update_role, delete=_delete_role,
))
register_crud(blp, ResourceSpec(
    name="departments", model=Department, schema=DepartmentSchema,
    permission="core.departments", event="department", filterable=("parent_id",),
    searchable=("name",), sortable=("name", "path"),
    create=_create_department, update=_update_department, delete=_delete_department,
))
