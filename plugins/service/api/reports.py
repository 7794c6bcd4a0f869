"""``GET /api/v1/service/reports``: the service reports of a period."""

from __future__ import annotations

from marshmallow import fields

from patron.sdk import BaseSchema, PatronBlueprint, require
from patron_service.permissions import REPORTS
from patron_service.services.reports import period_report, report_period
from patron_service.services.sla import tenant_timezone

blp = PatronBlueprint("reports", __name__)


class PeriodArgsSchema(BaseSchema):
    """Local days, both included (default: the last thirty days)."""

    from_ = fields.Date(data_key="from")
    to = fields.Date()


class ServiceReportSchema(BaseSchema):
    """Open tickets by queue/priority/age, SLA compliance, response and resolution times,
    complaints, technician utilisation and the first-time-fix rate (percentages)."""

    from_ = fields.String(data_key="from")
    to = fields.String()
    open_tickets = fields.Dict()
    sla = fields.Dict()
    times = fields.Dict()
    complaints = fields.List(fields.Dict())
    technicians = fields.List(fields.Dict())
    first_time_fix_rate = fields.Float(allow_none=True)


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
