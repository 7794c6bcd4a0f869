"""``/api/v1/service/…`` of the service desk: ``tickets`` (+ their history and replies) and
``queues``."""

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
from patron_service.models.field_work import WorkOrder
from patron_service.models.tickets import Queue, Ticket
from patron_service.permissions import QUEUES, TICKETS
from patron_service.schemas.tickets import (
    QueueSchema,
    TicketHistorySchema,
    TicketRepliesSchema,
    TicketReplyInSchema,
    TicketReplySchema,
    TicketSchema,
)
from patron_service.services import tickets
from patron_service.services.assignment import active_users
from patron_service.services.operations import Checked
from patron_service.services.replies import add_reply, replies_of

blp = PatronBlueprint("tickets", __name__)


def _check_people(values: dict) -> None:
    listed = values.get("member_ids") or []
    if len(active_users(listed)) != len(set(listed)):
        raise ValidationFailed({"member_ids": ["Every member must be an active user."]})
    if values.get("lead_id") is not None and not active_users([values["lead_id"]]):
        raise ValidationFailed({"lead_id": ["No such active user."]})


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
for spec in (TICKETS_SPEC, QUEUES_SPEC):
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
