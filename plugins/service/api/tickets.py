"""``/api/v1/service/…`` of the service desk: ``tickets`` (+ their history and replies) and
``queues``."""

from __future__ import annotations

import uuid

from patron.sdk import PatronBlueprint, ResourceSpec, register_crud, register_settings
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
from patron_service.services.queues import QUEUE_RULES
from patron_service.services.replies import add_reply, replies_of
from patron_service.services.settings import SERVICE_SETTINGS
from patron_service.services.tickets import (
    create_ticket,
    delete_ticket,
    history_of,
    update_ticket,
    workable_ticket,
)

blp = PatronBlueprint("tickets", __name__)

TICKETS_SPEC = ResourceSpec(
    name="tickets", model=Ticket, schema=TicketSchema, permission=TICKETS, event="ticket",
    entity="ticket",
    filterable=("status", "priority", "severity", "channel", "category", "is_complaint",
                "complaint_type", "queue_id", "owner_id", "account_id", "contact_id",
                "product_id", "sla_policy_id", "entitlement_id", "root_cause", "created_at",
                "resolved_at", "first_response_due_at", "resolution_due_at"),
    searchable=("subject", "description"),
    bulk_fields=("assignee_id", "status", "priority", "queue_id"),
    sortable=("created_at", "updated_at", "subject", "status", "priority",
              "first_response_due_at", "resolution_due_at"),
    create=create_ticket, update=update_ticket, delete=delete_ticket,
)
QUEUES_SPEC = ResourceSpec(
    name="queues", model=Queue, schema=QueueSchema, permission=QUEUES, event="queue",
    filterable=("rule",), searchable=("name",), sortable=("name",), rules=QUEUE_RULES,
)
for spec in (TICKETS_SPEC, QUEUES_SPEC):
    register_crud(blp, spec)
register_settings(blp, "/settings", SERVICE_SETTINGS, read=f"{TICKETS}.read",
                  update=f"{QUEUES}.update", title="The tenant's service settings")


@blp.route("/tickets/<uuid:record_id>/history", methods=["GET"])
@blp.response(200, TicketHistorySchema)
def ticket_history(record_id: uuid.UUID):
    """Every status and assignee change of the ticket, oldest first"""
    return {"items": history_of(workable_ticket(record_id, "read"))}


@blp.route("/tickets/<uuid:record_id>/replies", methods=["GET"])
@blp.response(200, TicketRepliesSchema)
def ticket_replies(record_id: uuid.UUID):
    """The ticket's public replies and internal notes, oldest first"""
    return {"items": replies_of(workable_ticket(record_id, "read"))}


@blp.route("/tickets/<uuid:record_id>/replies", methods=["POST"])
@blp.arguments(TicketReplyInSchema)
@blp.response(201, TicketReplySchema)
def ticket_reply(data: dict, record_id: uuid.UUID):
    """Reply to the customer (``public``: mailed to the ticket's contact; the first public
    reply is the ticket's first response) or add an internal note"""
    return add_reply(workable_ticket(record_id, "update"), data["body"], data["public"])
