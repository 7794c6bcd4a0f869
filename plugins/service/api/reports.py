"""``GET /api/v1/service/reports``: the service reports of a period."""

from __future__ import annotations

from patron.sdk import PatronBlueprint, require
from patron_service.permissions import REPORTS
from patron_service.schemas.reports import PeriodArgsSchema, ServiceReportSchema
from patron_service.services.reports import period_report, report_period
from patron_service.services.sla import tenant_timezone

blp = PatronBlueprint("reports", __name__)


@blp.route("/reports", methods=["GET"])
@blp.arguments(PeriodArgsSchema, location="query")
@blp.response(200, ServiceReportSchema)
def reports(args: dict):
    """Service reports over the tickets created and work orders booked in a period"""
    require(f"{REPORTS}.read")
    zone = tenant_timezone()
    first, last = report_period(args.get("from_"), args.get("to"), zone)
    return {"from_": first.isoformat(), "to": last.isoformat(),
            **period_report(first, last, zone)}
