"""``/api/v1/service/…``: tickets (+ history, replies), queues, SLA policies, business hours,
holidays and service contracts. Field service (technicians, work orders) lives in
:mod:`patron_service.field_api`, the knowledge base in :mod:`patron_service.knowledge_api`."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from patron.sdk import (
    Conflict,
    PatronBlueprint,
    ResourceSpec,
    ValidationFailed,
    db,
    get_scoped_or_404,
    register_crud,
    require,
)
from patron_service import sla, tickets
from patron_service.assignment import active_users
from patron_service.contracts import ServiceContract, create_contract, update_contract
from patron_service.field_models import WorkOrder
from patron_service.models import BusinessHours, Holiday, Queue, SlaPolicy, Ticket
from patron_service.operations import Checked
from patron_service.permissions import CONTRACTS, QUEUES, SLA, TICKETS
from patron_service.replies import add_reply, replies_of
from patron_service.schemas import (
    BusinessHoursSchema,
    HolidaySchema,
    QueueSchema,
    ServiceContractSchema,
    SlaPolicySchema,
    TicketHistorySchema,
    TicketRepliesSchema,
    TicketReplyInSchema,
    TicketReplySchema,
    TicketSchema,
)

blp = PatronBlueprint("service", __name__,
                      description="Service: tickets, queues, SLAs, technicians, work orders")


def _check_people(values: dict) -> None:
    listed = values.get("member_ids") or []
    if len(active_users(listed)) != len(set(listed)):
        raise ValidationFailed({"member_ids": ["Every member must be an active user."]})
    if values.get("lead_id") is not None and not active_users([values["lead_id"]]):
        raise ValidationFailed({"lead_id": ["No such active user."]})


def _check_period(values: dict) -> None:
    if values["end_minute"] <= values["start_minute"]:
        raise ValidationFailed({"end_minute": ["Must be after start_minute."]})


def _delete_queue(queue: Queue) -> None:
    db.session.execute(update(Ticket).where(Ticket.queue_id == queue.id).values(queue_id=None))
    db.session.delete(queue)
    db.session.flush()


def _delete_ticket(ticket: Ticket) -> None:
    if db.session.execute(select(WorkOrder.id).where(WorkOrder.ticket_id == ticket.id)
                          .limit(1)).first() is not None:
        raise Conflict("The ticket has work orders; delete or cancel them instead.")
    db.session.delete(ticket)
    db.session.flush()


QUEUE_OPS = Checked(Queue, ("name",), "name", "Another queue has this name.", _check_people)
POLICY_OPS = Checked(SlaPolicy, ("name",), "name", "Another SLA policy has this name.")
HOURS_OPS = Checked(BusinessHours, check=_check_period)
HOLIDAY_OPS = Checked(Holiday, ("day",), "day", "This day is a holiday already.")


def _create_policy(data: dict) -> SlaPolicy:
    policy = POLICY_OPS.create(data)
    sla.make_default(policy)
    return policy


def _update_policy(policy: SlaPolicy, data: dict) -> None:
    """New targets move the due times of the open tickets that follow the policy."""
    POLICY_OPS.update(policy, data)
    sla.make_default(policy)
    if "targets" in data:
        sla.recompute_open_tickets(policy)


TICKETS_SPEC = ResourceSpec(
    name="tickets", model=Ticket, schema=TicketSchema, permission=TICKETS, event="ticket",
    entity="ticket",
    filterable=("status", "priority", "severity", "channel", "category", "is_complaint",
                "complaint_type", "queue_id", "owner_id", "account_id", "contact_id",
                "product_id", "sla_policy_id", "entitlement_id", "root_cause", "created_at",
                "resolved_at", "first_response_due_at", "resolution_due_at"),
    searchable=("subject", "description"),
    sortable=("created_at", "updated_at", "subject", "status", "priority",
              "first_response_due_at", "resolution_due_at"),
    create=tickets.create_ticket, update=tickets.update_ticket, delete=_delete_ticket,
)
QUEUES_SPEC = ResourceSpec(
    name="queues", model=Queue, schema=QueueSchema, permission=QUEUES, event="queue",
    filterable=("rule",), searchable=("name",), sortable=("name",),
    create=QUEUE_OPS.create, update=QUEUE_OPS.update, delete=_delete_queue,
)
SLA_POLICIES_SPEC = ResourceSpec(
    name="sla-policies", model=SlaPolicy, schema=SlaPolicySchema, permission=SLA,
    event="sla_policy", filterable=("is_default",), searchable=("name",), sortable=("name",),
    create=_create_policy, update=_update_policy, delete=sla.delete_policy,
)
BUSINESS_HOURS_SPEC = ResourceSpec(
    name="business-hours", model=BusinessHours, schema=BusinessHoursSchema, permission=SLA,
    event="business_hours", filterable=("weekday",), sortable=("weekday", "start_minute"),
    create=HOURS_OPS.create, update=HOURS_OPS.update,
)
HOLIDAYS_SPEC = ResourceSpec(
    name="holidays", model=Holiday, schema=HolidaySchema, permission=SLA, event="holiday",
    filterable=("day",), searchable=("name",), sortable=("day", "name"),
    create=HOLIDAY_OPS.create, update=HOLIDAY_OPS.update,
)
CONTRACTS_SPEC = ResourceSpec(
    name="contracts", model=ServiceContract, schema=ServiceContractSchema,
    permission=CONTRACTS, event="service_contract", entity="service_contract",
    filterable=("kind", "account_id", "product_id", "starts_on", "ends_on", "sla_policy_id"),
    searchable=("name",), sortable=("name", "starts_on", "ends_on"),
    create=create_contract, update=update_contract,
)

for spec in (TICKETS_SPEC, QUEUES_SPEC, SLA_POLICIES_SPEC, BUSINESS_HOURS_SPEC, HOLIDAYS_SPEC,
             CONTRACTS_SPEC):
    register_crud(blp, spec)


@blp.route("/tickets/<uuid:record_id>/history", methods=["GET"])
@blp.response(200, TicketHistorySchema)
def ticket_history(record_id: uuid.UUID):
    """Every status and assignee change of the ticket, oldest first"""
    require(f"{TICKETS}.read")
    ticket = get_scoped_or_404(Ticket, record_id, TICKETS)
    return {"items": tickets.history_of(ticket)}


@blp.route("/tickets/<uuid:record_id>/replies", methods=["GET"])
@blp.response(200, TicketRepliesSchema)
def ticket_replies(record_id: uuid.UUID):
    """The ticket's public replies and internal notes, oldest first"""
    require(f"{TICKETS}.read")
    return {"items": replies_of(get_scoped_or_404(Ticket, record_id, TICKETS))}


@blp.route("/tickets/<uuid:record_id>/replies", methods=["POST"])
@blp.arguments(TicketReplyInSchema)
@blp.response(201, TicketReplySchema)
def ticket_reply(data: dict, record_id: uuid.UUID):
    """Reply to the customer (``public``: mailed to the ticket's contact; the first public
    reply is the ticket's first response) or add an internal note"""
    require(f"{TICKETS}.update")
    ticket = get_scoped_or_404(Ticket, record_id, TICKETS)
    return add_reply(ticket, data["body"], data["public"])
