"""``/service/my-jobs``: a technician's day on a phone, each job with the one step it can
take next (:mod:`patron_service.services.my_jobs`), taken through the work-order operation
like ``PATCH /api/v1/service/work-orders/<id>``."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from patron.sdk import (
    attempt,
    can,
    flash_refusal,
    get_scoped_or_404,
    require,
    spec_for,
    update_record,
)
from patron_service.models.field_work import SIGNED_OFF, WorkOrder
from patron_service.pages.inputs import page_version_matches
from patron_service.permissions import WORK_ORDERS
from patron_service.services.my_jobs import NEXT_STEP, jobs_of, technician_of
from patron_service.services.sla import tenant_timezone

bp = Blueprint("my_jobs", __name__)


@bp.route("/service/my-jobs")
@login_required
def my_jobs():
    """The signed-in technician's work orders of today, with their next step."""
    require(f"{WORK_ORDERS}.read")
    zone = tenant_timezone()
    technician = technician_of(current_user.id)
    jobs = jobs_of(technician, datetime.now(zone).date(), zone) if technician else []
    return render_template("service/my_jobs.html", technician=technician, jobs=jobs,
                           next_step=NEXT_STEP, zone=zone,
                           can_update=can(f"{WORK_ORDERS}.update"))


@bp.route("/service/my-jobs/<uuid:record_id>/step", methods=["POST"])
@login_required
def my_job_step(record_id: uuid.UUID):
    """Take a job's next step (the status sent), through the work-order operation."""
    require(f"{WORK_ORDERS}.update")
    order = get_scoped_or_404(WorkOrder, record_id, WORK_ORDERS)
    status = request.form.get("status", "")
    changes = {"status": status}
    if status == SIGNED_OFF:
        changes["signer_name"] = request.form.get("signer_name", "").strip() or None
    if not page_version_matches(order):
        flash(_("This job changed meanwhile; try again."), "warning")
        return redirect(url_for(".my_jobs"))
    outcome = attempt(lambda: update_record(spec_for("work_order"), order, changes))
    if not outcome.ok:
        flash_refusal(outcome)
    return redirect(url_for(".my_jobs"))
