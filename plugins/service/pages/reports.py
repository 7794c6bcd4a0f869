"""``/service/reports``: the service reports of a period, with charts; and
``/service/work-orders/<id>/report``: a work order's printable service report."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request
from flask_login import login_required

from patron.sdk import attempt, get_scoped_or_404, require
from patron_service.models.field_work import WorkOrder
from patron_service.pages.inputs import parse_day, refusal_text
from patron_service.permissions import REPORTS, WORK_ORDERS
from patron_service.services.reports import period_report, report_period
from patron_service.services.service_report import service_report
from patron_service.services.sla import tenant_timezone

bp = Blueprint("reports", __name__)


@bp.route("/service/work-orders/<uuid:record_id>/report")
@login_required
def work_order_report(record_id: uuid.UUID):
    """The work order's service report, to print or save as PDF from the browser."""
    require(f"{WORK_ORDERS}.read")
    order = get_scoped_or_404(WorkOrder, record_id, WORK_ORDERS)
    return render_template("service/report.html", report=service_report(order),
                           zone=tenant_timezone())


@bp.route("/service/reports")
@login_required
def reports_page():
    """The service reports of a period (``?from=&to=``, default the last thirty days)."""
    require(f"{REPORTS}.read")
    zone = tenant_timezone()
    period = attempt(lambda: report_period(parse_day(request.args.get("from"), None),
                                           parse_day(request.args.get("to"), None), zone))
    first, last = period.value if period.ok else report_period(None, None, zone)
    return render_template("service/reports.html", report=period_report(first, last, zone),
                           first=first, last=last,
                           error=None if period.ok else refusal_text(period)), period.status
