"""The module's pages: the public support form and the dispatch board.

``/t/<tenant slug>/support``: anyone may submit it without signing in. It is CSRF-protected
like every form, rate-limited per address (``PATRON_SUPPORT_FORM_RATE_LIMIT``, default ten a
minute) and carries a honeypot field that people never see; a submission that fills it in is
thanked and dropped. A tenant that does not exist, is not active or has not enabled the
module answers 404.

``/service/dispatch``: a day (or, with ``view=week``, a week) of every technician by the
hour. Dropping a work order on a
slot posts ``/service/dispatch/schedule`` (htmx, from SortableJS's drop event), which goes
through the same booking as ``POST /api/v1/service/work-orders/<id>/schedule``: permission,
data scope, optimistic lock, conflict checks (an override reason typed on the board is sent
along) and events. The board comes back re-rendered, with the refusal if there was one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from patron.sdk import (
    Conflict,
    Tenant,
    ValidationFailed,
    can,
    check_version,
    db,
    get_scoped_or_404,
    public_page,
    require,
    spec_for,
    update_record,
)
from patron_service.dispatch import VIEWS, board_for, parse_day, parse_id, parse_view
from patron_service.field_models import SIGNED_OFF, WorkOrder
from patron_service.my_jobs import NEXT_STEP, jobs_of, technician_of
from patron_service.permissions import REPORTS, SCHEDULE_WORK_ORDERS, WORK_ORDERS
from patron_service.reports import period_report, report_period
from patron_service.scheduling import schedule
from patron_service.service_report import service_report
from patron_service.sla import tenant_timezone
from patron_service.support import submit_ticket

bp = Blueprint("service_pages", __name__, template_folder="templates")

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter a valid e-mail address."))


class SupportForm(FlaskForm):
    """What a customer tells the service desk; ``website`` is the honeypot."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254), EMAIL])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("How can we help?"),
                                validators=[DataRequired(), Length(max=20000)])
    website = StringField(_l("Website"))


@bp.route("/t/<slug>/support", methods=["GET", "POST"])
@public_page("service", arg="slug", rate_limit_setting="PATRON_SUPPORT_FORM_RATE_LIMIT")
def support_form(slug: str, tenant: Tenant):
    """The form, and the thanks once it is sent."""
    form = SupportForm()
    if form.validate_on_submit():
        if not form.website.data:
            submit_ticket(form.name.data, form.email.data, form.subject.data,
                          form.description.data)
        return redirect(url_for("service_pages.support_form", slug=tenant.slug, sent=1))
    sent = request.method == "GET" and request.args.get("sent") == "1"
    return render_template("service/support.html", form=form, tenant=tenant, sent=sent), (
        422 if form.errors else 200)


# ---- the dispatch board ----------------------------------------------------------------------


def _render_board(day: date, view: str, error: str | None = None, status: int = 200):
    """The whole page, or only the board for an htmx request."""
    zone = tenant_timezone()
    template = "service/dispatch_board.html" if request.headers.get("HX-Request") else (
        "service/dispatch.html")
    span = timedelta(days=VIEWS[view])
    return render_template(template, board=board_for(day, zone, view), view=view,
                           error=error, can_schedule=can(SCHEDULE_WORK_ORDERS),
                           days=(day - span, day + span)), status


@bp.route("/service/dispatch")
@login_required
def dispatch_board():
    """A day (``?day=YYYY-MM-DD``, default today) or the week containing it
    (``&view=week``) of every technician, by the hour."""
    require(f"{WORK_ORDERS}.read")
    today = datetime.now(tenant_timezone()).date()
    return _render_board(parse_day(request.args.get("day"), today),
                         parse_view(request.args.get("view")))


@bp.route("/service/dispatch/schedule", methods=["POST"])
@login_required
def dispatch_drop():
    """Book the dropped work order on the technician's slot; answers the re-rendered board
    (with the refusal, and nothing changed, when the booking cannot stand)."""
    require(SCHEDULE_WORK_ORDERS)
    order_id, technician_id = (parse_id(request.form.get(name))
                               for name in ("work_order_id", "technician_id"))
    if order_id is None or technician_id is None:
        abort(404)
    order = get_scoped_or_404(WorkOrder, order_id, WORK_ORDERS)
    try:
        starts_at = datetime.fromisoformat(request.form.get("starts_at", ""))
    except ValueError:
        abort(400)
    day = starts_at.astimezone(tenant_timezone()).date()
    view = parse_view(request.form.get("view"))
    if not page_version_matches(order):
        return _render_board(day, view, str(STALE), 409)
    try:
        schedule(order, {"technician_ids": [technician_id], "starts_at": starts_at,
                         "override_reason": request.form.get("override_reason") or None})
    except Conflict as refusal:
        db.session.rollback()
        return _render_board(day, view, str(refusal), 409)
    except ValidationFailed as refusal:
        db.session.rollback()
        return _render_board(day, view, refusal_text(refusal), 422)
    return _render_board(day, view)


#: A page's form sent a version the record has moved past (the core's 409 is for the API).
STALE = _l("This record changed meanwhile; reload the page and try again.")


def page_version_matches(record) -> bool:
    """Whether the ``version`` the page's form sent (if any) is the record's current one."""
    try:
        check_version(record, request.form.get("version", type=int))
    except Conflict:
        return False
    return True


def _messages(errors: dict) -> list[str]:
    return [message for messages in errors.values() for message in messages]


def refusal_text(refusal: ValidationFailed) -> str:
    """The field messages of a 422, as one sentence for the page."""
    return " ".join(_messages(refusal.errors))


# ---- a technician's day ----------------------------------------------------------------------


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
def my_job_step(record_id):
    """Take a job's next step (the status sent), through the work-order operation."""
    require(f"{WORK_ORDERS}.update")
    order = get_scoped_or_404(WorkOrder, record_id, WORK_ORDERS)
    status = request.form.get("status", "")
    changes = {"status": status}
    if status == SIGNED_OFF:
        changes["signer_name"] = request.form.get("signer_name", "").strip() or None
    if not page_version_matches(order):
        flash(_("This job changed meanwhile; try again."), "warning")
        return redirect(url_for("service_pages.my_jobs"))
    try:
        update_record(spec_for("work_order"), order, changes)
    except Conflict as refusal:
        db.session.rollback()
        flash(str(refusal), "warning")
    except ValidationFailed as refusal:
        db.session.rollback()
        flash(refusal_text(refusal), "warning")
    return redirect(url_for("service_pages.my_jobs"))


# ---- the printable service report ------------------------------------------------------------


@bp.route("/service/work-orders/<uuid:record_id>/report")
@login_required
def work_order_report(record_id):
    """The work order's service report, to print or save as PDF from the browser."""
    require(f"{WORK_ORDERS}.read")
    order = get_scoped_or_404(WorkOrder, record_id, WORK_ORDERS)
    return render_template("service/report.html", report=service_report(order),
                           zone=tenant_timezone())


# ---- reports ---------------------------------------------------------------------------------


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.route("/service/reports")
@login_required
def reports_page():
    """The service reports of a period (``?from=&to=``, default the last thirty days)."""
    require(f"{REPORTS}.read")
    zone = tenant_timezone()
    error = None
    try:
        first, last = report_period(_day(request.args.get("from")),
                                    _day(request.args.get("to")), zone)
    except ValidationFailed as refusal:
        error = refusal_text(refusal)
        first, last = report_period(None, None, zone)
    return render_template("service/reports.html", report=period_report(first, last, zone),
                           first=first, last=last, error=error), 422 if error else 200
