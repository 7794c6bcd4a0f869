"""API schemas of SLA policies and the business calendar (hours and holidays)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from patron.sdk import BaseSchema, RecordSchema
from patron_service.models.tickets import PRIORITIES
from patron_service.schemas.fields import DAY_MINUTES, minutes, required_text


class TargetSchema(BaseSchema):
    """The targets for one priority."""

    first_response_minutes = minutes(required=True)
    resolution_minutes = minutes(required=True)


class SlaPolicySchema(RecordSchema):
    """Targets per priority, in business minutes. Tickets follow the default policy unless
    they name another."""

    name = required_text(200)
    is_default = fields.Boolean()
    targets = fields.Dict(keys=fields.String(validate=validate.OneOf(PRIORITIES)),
                          values=fields.Nested(TargetSchema), metadata={
                              "description": "Per priority: first_response_minutes and "
                                             "resolution_minutes",
                              "example": {"high": {"first_response_minutes": 60,
                                                   "resolution_minutes": 480}}})
    warn_minutes = minutes(metadata={"description": "Approaching a target this long before "
                                                    "it (default 60)"})
    raise_priority = fields.Boolean(metadata={
        "description": "Escalate a breached ticket one priority up (default false)"})


class BusinessHoursSchema(RecordSchema):
    """A working period of a weekday, in minutes after local midnight."""

    weekday = fields.Integer(required=True, validate=validate.Range(min=0, max=6),
                             metadata={"description": "0 = Monday … 6 = Sunday",
                                       "widget": "weekday", "label": _l("Day")})
    start_minute = fields.Integer(load_default=9 * 60,
                                  validate=validate.Range(min=0, max=DAY_MINUTES - 1),
                                  metadata={"description": "Default 540 (09:00)",
                                            "widget": "minute_of_day", "label": _l("From")})
    end_minute = fields.Integer(load_default=17 * 60,
                                validate=validate.Range(min=1, max=DAY_MINUTES),
                                metadata={"description": "Default 1020 (17:00)",
                                          "widget": "minute_of_day", "label": _l("To")})


class HolidaySchema(RecordSchema):
    """A closed day."""

    day = fields.Date(required=True)
    name = required_text(200)
