"""Operations on roles, departments and the reporting line (validate, change, flush)."""

from __future__ import annotations

import uuid

from flask_babel import force_locale
from sqlalchemy import exists, func, select, update

from patron.auth.models import User
from patron.customfields.services import definitions_of
from patron.db import db, new_id
from patron.entities import entities, schema_of
from patron.errors import Conflict, FieldError
from patron.rbac.defaults import default_role_grants, module_role_grants
from patron.rbac.models import Department, Role
from patron.rbac.permissions import unknown_permissions
from patron.rbac.scopes import SCOPES
from patron.tenancy.services import current_tenant


class RbacError(FieldError):
    """A role, department or reporting-line change was refused (``field`` is at fault)."""


def seed_default_roles() -> dict[str, Role]:
    """Create the default roles of the current tenant; returns them by key."""
    roles = {}
    with force_locale(current_tenant().locale):
        for key, spec in default_role_grants().items():
            role = Role(key=key, is_system=True, **{
                **spec, "name": str(spec["name"]), "description": str(spec["description"])})
            db.session.add(role)
            roles[key] = role
    db.session.flush()
    return roles


def grant_module_defaults(module: str) -> list[str]:
    """Give the current tenant's default roles what ``module`` grants them (permissions they
    lack, scopes they have not set): for a module installed after the tenant was created, whose
    default roles were seeded without it. Returns the keys of the roles changed."""
    changed = []
    for key, grant in module_role_grants(module).items():
        role = role_by_key(key)
        if role is None or not role.is_system:
            continue
        missing = [p for p in grant["permissions"] if p not in role.permissions]
        scopes = {**grant["scopes"], **(role.scopes or {})}
        if missing or scopes != (role.scopes or {}):
            role.permissions = [*role.permissions, *missing]
            role.scopes = scopes
            changed.append(key)
    db.session.flush()
    return changed


def role_by_key(key: str) -> Role | None:
    """The current tenant's role with ``key``."""
    return db.session.execute(db.select(Role).where(Role.key == key)).scalar_one_or_none()


def securable_fields(entity_name: str) -> list[str]:
    """The fields a role's ``field_access`` may name for a registered entity with a schema:
    its schema's (``id`` aside), then the tenant's custom fields as ``custom.<name>``."""
    names = [name for name in schema_of(entity_name)().fields if name != "id"]
    return names + [f"custom.{d.name}" for d in definitions_of(entity_name)]


def validate_field_access(field_access: dict | None) -> None:
    """Refuse field rules for unknown entities or fields (custom fields as ``custom.<name>``)."""
    for entity_name, rules in (field_access or {}).items():
        if entity_name not in entities() or schema_of(entity_name) is None:
            raise RbacError("field_access", f"no entity {entity_name!r}")
        unknown = sorted(set(rules) - set(securable_fields(entity_name)))
        if unknown:
            raise RbacError("field_access", f"{entity_name}: no field {', '.join(unknown)}")


def validate_role_grants(permissions: list[str] | None, scopes: dict | None) -> None:
    """Refuse undeclared permissions and unknown scope levels."""
    if permissions is not None and (unknown := unknown_permissions(permissions)):
        raise RbacError("permissions", f"unknown permissions: {', '.join(unknown)}")
    for resource, scope in (scopes or {}).items():
        if scope not in SCOPES:
            raise RbacError("scopes", f"{resource}: scope must be one of {', '.join(SCOPES)}")


def check_admin_grants(key: str, data: dict) -> None:
    """The admin role always holds every permission and keeps its key."""
    if key == "admin" and data.get("permissions", ["*"]) != ["*"]:
        raise RbacError("permissions", "the admin role always holds every permission")


def create_role(data: dict) -> Role:
    """Add a role to the current tenant."""
    validate_role_grants(data.get("permissions"), data.get("scopes"))
    validate_field_access(data.get("field_access"))
    if role_by_key(data["key"]) is not None:
        raise RbacError("key", "a role with this key already exists")
    role = Role(**data)
    db.session.add(role)
    db.session.flush()
    return role


def update_role(role: Role, data: dict) -> None:
    """Change a role's name, description, permissions or scopes."""
    if "key" in data and data["key"] != role.key:
        raise RbacError("key", "a role's key cannot change")
    check_admin_grants(role.key, data)
    validate_role_grants(data.get("permissions"), data.get("scopes"))
    validate_field_access(data.get("field_access"))
    for name, value in data.items():
        setattr(role, name, value)
    db.session.flush()


def delete_role(role: Role) -> None:
    """Delete a custom role that nobody holds."""
    if role.is_system:
        raise Conflict("default roles cannot be deleted; edit them instead")
    if db.session.execute(select(exists().where(User.role_id == role.id))).scalar():
        raise Conflict("the role is still assigned to users")
    db.session.delete(role)
    db.session.flush()


def _path_of(department_id: uuid.UUID | None) -> str:
    if department_id is None:
        return "/"
    department = db.session.execute(
        db.select(Department).where(Department.id == department_id)
    ).scalar_one_or_none()
    if department is None:
        raise RbacError("parent_id", "no such department")
    return department.path


def create_department(name: str, parent_id: uuid.UUID | None = None) -> Department:
    """Add a department under ``parent_id`` (or at the root)."""
    department_id = new_id()
    department = Department(
        id=department_id, name=name, parent_id=parent_id,
        path=f"{_path_of(parent_id)}{department_id.hex}/",
    )
    db.session.add(department)
    db.session.flush()
    return department


def move_department(department: Department, parent_id: uuid.UUID | None) -> None:
    """Re-parent ``department``; its whole subtree moves with it in one UPDATE."""
    new_parent_path = _path_of(parent_id)
    if new_parent_path.startswith(department.path):
        raise RbacError("parent_id", "a department cannot move below itself")
    _rewrite_paths(Department.path, department.path, f"{new_parent_path}{department.id.hex}/")
    db.session.refresh(department)  # the UPDATE above changed its path and version
    department.parent_id = parent_id
    db.session.flush()


def set_manager(user: User, manager_id: uuid.UUID | None) -> None:
    """Put ``user`` (and everyone reporting to them) below ``manager_id``."""
    manager_path = "/"
    if manager_id is not None:
        manager = db.session.execute(
            db.select(User).where(User.id == manager_id)
        ).scalar_one_or_none()
        if manager is None:
            raise RbacError("manager_id", "no such user")
        if user.report_path and manager.report_path.startswith(user.report_path):
            raise RbacError("manager_id", "a user cannot report to someone below them")
        manager_path = manager.report_path
    new_path = f"{manager_path}{user.id.hex}/"
    if user.report_path:
        _rewrite_paths(User.report_path, user.report_path, new_path)
        db.session.refresh(user)
    else:
        user.report_path = new_path
    user.manager_id = manager_id
    db.session.flush()


def _rewrite_paths(column, old_prefix: str, new_prefix: str) -> None:
    """Replace ``old_prefix`` by ``new_prefix`` in every path below it: one set-based UPDATE."""
    model = column.class_
    db.session.flush()
    db.session.execute(
        update(model)
        .where(column.startswith(old_prefix))
        .values(
            {
                column.key: new_prefix + func.substr(column, len(old_prefix) + 1),
                "version": model.version + 1,
            }
        ),
        execution_options={"synchronize_session": False},
    )
