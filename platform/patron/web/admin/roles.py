"""``/admin/roles``: roles with their permissions (checkboxes grouped by module and resource),
a data scope per resource and field-level security per entity and field."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from patron.entities import entities
from patron.plugins.services import installed_modules
from patron.rbac.access import can, require
from patron.rbac.models import Role
from patron.rbac.permissions import declared_permissions
from patron.rbac.scopes import SCOPES
from patron.records.listing import list_records
from patron.records.spec import spec_for
from patron.web.admin.blueprint import admin_record, bp
from patron.web.admin.field_access import LEVEL_CHOICES, access_grid, submitted_access
from patron.web.labels import label
from patron.web.writes import Outcome, delete_and_tell, save_changes, save_new

ROLES = "roles"
#: The admin role's grant: everything, always (``check_admin_grants``).
EVERYTHING = "*"
#: The order actions are shown in.
ACTIONS = ("read", "create", "update", "delete")


@dataclass
class ResourceGrants:
    """One row of the permission grid: a resource with its actions' permission names."""

    resource: str
    label: str
    #: Whether a data scope applies: the resource of an entity whose records have owners.
    scoped: bool = False
    actions: list[tuple[str, str]] = field(default_factory=list)  # (permission, label)


@dataclass
class ModuleGrants:
    """The permissions one module declares, by resource."""

    module: str
    label: str
    resources: list[ResourceGrants] = field(default_factory=list)


def _action_order(permission: str) -> tuple[int, str]:
    action = permission.rsplit(".", 1)[1]
    return (ACTIONS.index(action) if action in ACTIONS else len(ACTIONS), action)


def permission_grid() -> list[ModuleGrants]:
    """Every declared permission, grouped by module, then resource (core first)."""
    modules: dict[str, ModuleGrants] = {}
    installed = installed_modules()
    owned = {e.resource for e in entities().values() if hasattr(e.model, "owner_id")}
    names = sorted(declared_permissions(), key=lambda n: (n.rsplit(".", 1)[0], _action_order(n)))
    for name in names:
        module, resource_name = name.split(".")[:2]
        resource, action = name.rsplit(".", 1)
        group = modules.setdefault(module, ModuleGrants(
            module, installed[module].label if module in installed else _("Core")))
        if not group.resources or group.resources[-1].resource != resource:
            group.resources.append(
                ResourceGrants(resource, label(resource_name), scoped=resource in owned))
        group.resources[-1].actions.append((name, label(action)))
    return sorted(modules.values(), key=lambda m: (m.module != "core", m.label))


def _role_data(form: MultiDict, role: Role | None) -> dict:
    """The role fields of a submitted form (the admin role's permissions are not editable)."""
    data = {"name": form.get("name", "").strip(), "description": form.get("description", ""),
            "scopes": {key.removeprefix("scope."): value for key, value in form.items()
                       if key.startswith("scope.") and value}}
    if form.get("default_scope"):
        data["default_scope"] = form["default_scope"]
    if role is None:
        data["key"] = form.get("key", "").strip()
    if role is None or EVERYTHING not in role.permissions:
        data["permissions"] = form.getlist("permissions")
    access = submitted_access(form)
    if access is not None:
        data["field_access"] = access
    return data


def _render_role(role: Role | None, form: MultiDict, outcome: Outcome):
    granted = set(form.getlist("permissions")) if form else set(role.permissions if role else [])
    scopes = ({k.removeprefix("scope."): v for k, v in form.items() if k.startswith("scope.")}
              if form else dict(role.scopes if role else {}))
    access = submitted_access(form) if form else None
    if access is None:
        access = dict(role.field_access or {}) if role else {}
    errors = dict(outcome.errors)
    access_errors = errors.pop("field_access", None)
    return render_template(
        "admin/role.html", role=role, form=form, errors=errors, grid=permission_grid(),
        granted=granted, scopes=scopes, scope_names=SCOPES,
        access_grid=access_grid(), access=access, access_errors=access_errors,
        levels=LEVEL_CHOICES,
        default_scope=form.get("default_scope") if form else (
            role.default_scope if role else "own"),
        everything=role is not None and EVERYTHING in role.permissions,
        can_update=can("core.roles.update" if role else "core.roles.create"),
    ), outcome.status


@bp.route("/roles")
@login_required
def roles():
    """The tenant's roles."""
    require("core.roles.read")
    page = list_records(spec_for(ROLES), {"limit": 200, "sort": "name"}, current_user)
    return render_template("admin/roles.html", roles=page["items"],
                           can_create=can("core.roles.create"))


@bp.route("/roles/new", methods=["GET", "POST"])
@login_required
def role_create():
    """A new role."""
    require("core.roles.create")
    if request.method == "GET":
        return _render_role(None, MultiDict(), Outcome())
    outcome = save_new(spec_for(ROLES), _role_data(request.form, None))
    if not outcome.ok:
        return _render_role(None, request.form, outcome)
    flash(_("Role “%(name)s” created.", name=outcome.value.name), "success")
    return redirect(url_for("admin.roles"))


@bp.route("/roles/<uuid:role_id>", methods=["GET", "POST"])
@login_required
def role_edit(role_id: uuid.UUID):
    """A role's name, description, permissions, data scopes and field access."""
    spec, role = admin_record(ROLES, role_id, "read")
    if request.method == "GET":
        return _render_role(role, MultiDict(), Outcome())
    require("core.roles.update")
    outcome = save_changes(spec, role, request.form, _role_data(request.form, role))
    if not outcome.ok:
        return _render_role(role, request.form, outcome)
    flash(_("Changes saved."), "success")
    return redirect(url_for("admin.roles"))


@bp.route("/roles/<uuid:role_id>/delete", methods=["POST"])
@login_required
def role_delete(role_id: uuid.UUID):
    """Delete a role nobody holds (default roles cannot be deleted)."""
    spec, role = admin_record(ROLES, role_id, "delete")
    if delete_and_tell(spec, role, _("Role “%(name)s” deleted.", name=role.name)):
        return redirect(url_for("admin.roles"))
    return redirect(url_for("admin.role_edit", role_id=role_id))
