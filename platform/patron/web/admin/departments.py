"""``/admin/departments``: the department tree — create, rename, move, delete."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from patron.db import db
from patron.rbac.access import can, require
from patron.rbac.models import Department
from patron.records.spec import spec_for
from patron.web.admin.blueprint import admin_record, bp
from patron.web.fields import FieldInfo, schema_fields
from patron.web.writes import Outcome, delete_and_tell, submit_create, submit_update

DEPARTMENTS = "departments"


def _fields() -> list[FieldInfo]:
    """Name and parent: what the department forms edit."""
    return [f for f in schema_fields(spec_for(DEPARTMENTS).schema, parent="department")
            if f.editable]


def _render_tree(form: MultiDict, outcome: Outcome, failed: uuid.UUID | None = None):
    """The tree in path order; ``failed`` is the department whose form had ``outcome``."""
    tree = db.session.execute(select(Department).order_by(Department.path)).scalars().all()
    new = (MultiDict(), {}) if failed else (form, outcome.errors)
    return render_template(
        "admin/departments.html", tree=tree, fields=_fields(), form=form,
        errors=outcome.errors, failed=failed, new_form=new[0], new_errors=new[1],
        can_create=can("core.departments.create"),
        can_update=can("core.departments.update"), can_delete=can("core.departments.delete"),
    ), outcome.status


@bp.route("/departments", methods=["GET", "POST"])
@login_required
def departments():
    """The tree, and the form adding a department under another (or at the top)."""
    require("core.departments.read")
    if request.method == "GET":
        return _render_tree(MultiDict(), Outcome())
    require("core.departments.create")
    outcome = submit_create(spec_for(DEPARTMENTS), _fields(), request.form)
    if not outcome.ok:
        return _render_tree(request.form, outcome)
    flash(_("Department “%(name)s” created.", name=outcome.value.name), "success")
    return redirect(url_for("admin.departments"))


@bp.route("/departments/<uuid:department_id>", methods=["POST"])
@login_required
def department_update(department_id: uuid.UUID):
    """Rename a department or move it (with everything below it) under another."""
    spec, department = admin_record(DEPARTMENTS, department_id, "update")
    outcome = submit_update(spec, department, _fields(), request.form)
    if not outcome.ok:
        return _render_tree(request.form, outcome, failed=department_id)
    flash(_("Changes saved."), "success")
    return redirect(url_for("admin.departments"))


@bp.route("/departments/<uuid:department_id>/delete", methods=["POST"])
@login_required
def department_delete(department_id: uuid.UUID):
    """Delete an empty department without sub-departments."""
    spec, department = admin_record(DEPARTMENTS, department_id, "delete")
    delete_and_tell(spec, department, _("Department “%(name)s” deleted.", name=department.name))
    return redirect(url_for("admin.departments"))
