"""API schemas of the service reports."""

from __future__ import annotations

from marshmallow import fields

from patron.sdk import BaseSchema


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
