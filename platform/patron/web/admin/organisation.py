"""``/admin/organisation``: the tenant's name, language, time zone, currency and letterhead
(address, tax id and logo: the pages of ``PATCH /api/v1/tenant`` and ``/api/v1/tenant/logo``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from patron.db import db
from patron.endpoints import takes_files
from patron.errors import ValidationFailed
from patron.rbac.access import can, require, require_user
from patron.tenancy.letterhead import MAX_LOGO_BYTES, logo_data_url, remove_logo, set_logo
from patron.tenancy.schemas import TenantSchema
from patron.tenancy.services import change_tenant, current_tenant
from patron.web.admin.blueprint import bp
from patron.web.fields import FieldInfo, schema_fields
from patron.web.messages import translated
from patron.web.record_forms import initial_values, parse_form
from patron.web.writes import Outcome, change_checked

UPDATE = "core.tenant.update"


def _fields() -> list[FieldInfo]:
    return [f for f in schema_fields(TenantSchema) if f.editable]


def _render(form: MultiDict, outcome: Outcome, logo_errors: list[str] | None = None):
    return render_template("admin/organisation.html", fields=_fields(), form=form,
                           errors=outcome.errors, tenant=current_tenant(),
                           can_update=can(UPDATE), logo=logo_data_url(),
                           logo_errors=logo_errors or []), outcome.status


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


@bp.route("/organisation/logo", methods=["POST"])
@takes_files
@login_required
def organisation_logo():
    """Upload the letterhead logo (``PUT /api/v1/tenant/logo``), or remove it."""
    require(UPDATE)
    if request.form.get("remove"):
        remove_logo()
        flash(_("Logo removed."), "success")
        return redirect(url_for("admin.organisation"))
    upload = request.files.get("file")
    try:
        set_logo(upload.read(MAX_LOGO_BYTES + 1) if upload else b"")
    except ValidationFailed as error:
        db.session.rollback()
        tenant = current_tenant()
        return _render(initial_values(_fields(), tenant), Outcome(status=422),
                       [translated(m) for m in error.errors["file"]])
    flash(_("Logo saved."), "success")
    return redirect(url_for("admin.organisation"))
