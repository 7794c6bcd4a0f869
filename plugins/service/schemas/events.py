"""The service module's events besides its records' own (the event catalogue): what each
means and the keys of its payload."""

from __future__ import annotations

from marshmallow import fields

from patron.sdk import EventType
from patron_service.schemas.field_work import WorkOrderSchema
from patron_service.schemas.tickets import TicketSchema

EVENTS = [
    EventType("ticket.assigned", "A ticket was given to an agent (how: by the queue's rule, "
              "by hand or on escalation).", TicketSchema, extra={"how": fields.String()}),
    EventType("ticket.resolved", "A ticket was resolved.", TicketSchema),
    EventType("ticket.sla_breached", "A ticket missed an SLA target (first_response or "
              "resolution) that was due at due_at.", TicketSchema,
              extra={"target": fields.String(), "due_at": fields.DateTime()}),
    EventType("work_order.scheduled", "A work order was given a technician and a time.",
              WorkOrderSchema),
    EventType("work_order.completed", "A technician completed a work order.",
              WorkOrderSchema),
]
