"""``/admin/organisation``: the tenant's name, language, time zone and currency (the page of
``PATCH /api/v1/tenant``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from patron.rbac.access import can, require, require_user
from patron.tenancy.schemas import TenantSchema
from patron.tenancy.services import change_tenant, current_tenant
from patron.web.admin.blueprint import bp
from patron.web.fields import FieldInfo, schema_fields
from patron.web.record_forms import initial_values, parse_form
from patron.web.writes import Outcome, change_checked

UPDATE = "core.tenant.update"


def _fields() -> list[FieldInfo]:
    return [f for f in schema_fields(TenantSchema) if f.editable]


def _render(form: MultiDict, outcome: Outcome):
    return render_template("admin/organisation.html", fields=_fields(), form=form,
                           errors=outcome.errors, tenant=current_tenant(),
                           can_update=can(UPDATE)), outcome.status


@bp.route("/organisation", methods=["GET", "POST"])
@login_required
def organisation():
    """The form; POST saves it (a stale version, someone saved in between, is a 409)."""
    require_user()
    tenant = current_tenant()
    if request.method == "GET":
        return _render(initial_values(_fields(), tenant), Outcome())
    require(UPDATE)
    data, errors = parse_form(_fields(), request.form, creating=False)
    outcome = change_checked(TenantSchema, tenant, request.form, data, errors, change_tenant)
    if not outcome.ok:
        return _render(request.form, outcome)
    flash(_("Changes saved."), "success")
    return redirect(url_for("admin.organisation"))
