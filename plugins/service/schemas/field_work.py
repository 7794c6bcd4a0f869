"""API schemas of field service: technicians, time off, work orders, bookings and parts."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate

from patron.sdk import (
    CURRENCY,
    Amount,
    BaseSchema,
    OwnedRecordSchema,
    RecordSchema,
    UTCDateTime,
    custom_values,
    text,
)
from patron_service.models.field_work import (
    WEEKDAYS,
    WORK_ORDER_STATUSES,
    WORK_ORDER_TYPES,
    clock_minutes,
)
from patron_service.schemas.fields import minutes, one_of, required_text

CLOCK = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _check_working_hours(value: dict) -> None:
    for day, span in value.items():
        if not (isinstance(span, list) and len(span) == 2
                and all(isinstance(t, str) and CLOCK.match(t) for t in span)):
            raise ValidationError(f'{day}: give ["HH:MM", "HH:MM"].')
        if clock_minutes(span[1]) <= clock_minutes(span[0]):
            raise ValidationError(f"{day}: the day must end after it starts.")


class TechnicianSchema(RecordSchema):
    """Someone who does field work, with skills, a region and working hours."""

    user_id = fields.UUID(allow_none=True, metadata={
        "description": "The technician's user account, who then sees their work orders"})
    name = required_text(200)
    skills = fields.List(fields.String(validate=validate.Length(min=1, max=100)))
    region = text(100)
    working_hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf(WEEKDAYS)), values=fields.Raw(),
        validate=_check_working_hours, metadata={
            "widget": "time_range",
            "description": 'Local hours per weekday, e.g. {"mon": ["08:00", "17:00"]}; '
                           "a day left out is off. Default: the tenant's business hours",
            "example": {"mon": ["08:00", "17:00"]}})
    custom = custom_values()


class TimeOffSchema(RecordSchema):
    """A stretch of time a technician is away."""

    technician_id = fields.UUID(dump_only=True)
    starts_at = UTCDateTime(required=True)
    ends_at = UTCDateTime(required=True)
    reason = text(200)


class TimeOffListSchema(BaseSchema):
    """A technician's time off."""

    items = fields.List(fields.Nested(TimeOffSchema))


class WorkOrderSchema(OwnedRecordSchema):
    """Field work. ``status`` moves one step at a time (scheduling happens through
    ``POST work-orders/<id>/schedule``); signing off needs ``signer_name``."""

    title = required_text(200)
    type = one_of(WORK_ORDER_TYPES, metadata={"description": "Default: repair"})
    status = one_of(WORK_ORDER_STATUSES, metadata={
        "description": "new → scheduled → dispatched → en_route → on_site → completed → "
                       "signed_off; cancelled from any open status"})
    ticket_id = fields.UUID(allow_none=True)
    account_id = fields.UUID(allow_none=True,
                             metadata={"description": "Default: the ticket's account"})
    site_address = text(2000)
    required_skills = fields.List(fields.String(validate=validate.Length(min=1, max=100)))
    estimated_minutes = minutes()
    window_start = UTCDateTime(allow_none=True)
    window_end = UTCDateTime(allow_none=True)
    starts_at = fields.AwareDateTime(dump_only=True)
    ends_at = fields.AwareDateTime(dump_only=True)
    technician_ids = fields.List(fields.UUID(), dump_only=True)
    schedule_override = fields.String(dump_only=True, allow_none=True)
    labour_minutes = fields.Integer(validate=validate.Range(min=0, max=366 * 24 * 60))
    charges = Amount()
    currency = fields.String(validate=CURRENCY)
    signer_name = text(200)
    notes = text(20000)
    scheduled_at = fields.AwareDateTime(dump_only=True)
    dispatched_at = fields.AwareDateTime(dump_only=True)
    en_route_at = fields.AwareDateTime(dump_only=True)
    on_site_at = fields.AwareDateTime(dump_only=True)
    completed_at = fields.AwareDateTime(dump_only=True)
    signed_off_at = fields.AwareDateTime(dump_only=True)
    cancelled_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class ScheduleSchema(BaseSchema):
    """``POST work-orders/<id>/schedule``: book technicians from ``starts_at`` for the
    estimated duration. A conflict is refused unless ``override_reason`` says why it may
    stand (recorded on the work order)."""

    technician_ids = fields.List(fields.UUID(), required=True,
                                 validate=validate.Length(max=50))
    starts_at = UTCDateTime(required=True)
    override_reason = fields.String(validate=validate.Length(min=1, max=500))


class PartUsedSchema(RecordSchema):
    """A catalogue product used on a work order (price default: the product's list price)."""

    work_order_id = fields.UUID(dump_only=True)
    product_id = fields.UUID(required=True)
    quantity = fields.Decimal(as_string=True, required=True,
                              validate=validate.Range(min=0, min_inclusive=False,
                                                      max=10 ** 8),
                              metadata={"type": "string", "format": "decimal",
                                        "pattern": r"^(100000000(\.0{1,4})?|\d{1,8}(\.\d{1,4})?)$"})
    unit_price = Amount()
    currency = fields.String(validate=CURRENCY)


class PartsSchema(BaseSchema):
    """The parts used on a work order."""

    items = fields.List(fields.Nested(PartUsedSchema))
