"""API schemas of the service desk: tickets, their history and replies, and queues."""

from __future__ import annotations

from marshmallow import fields, post_load, validate

from patron.sdk import BaseSchema, OwnedRecordSchema, RecordSchema, custom_values, text
from patron_service.models.tickets import (
    ASSIGNMENT_RULES,
    CHANNELS,
    CLOSED,
    COMPLAINT_TYPES,
    IN_PROGRESS,
    PRIORITIES,
    RESOLVED,
    SEVERITIES,
    STATUSES,
)
from patron_service.schemas.fields import one_of, required_text


class TicketSchema(OwnedRecordSchema):
    """A service request or complaint. ``assignee_id`` is the owner; changing ``status``
    follows the workflow and changing ``assignee_id`` reassigns (both recorded)."""

    subject = required_text(200)
    description = text(20000)
    sender_email = fields.String(dump_only=True, metadata={
        "description": "The address a public support form was sent from; the ticket is "
                       "linked to its contact once the sender confirms it"})
    channel = one_of(CHANNELS, metadata={"description": "Default: api"})
    category = text(100)
    is_complaint = fields.Boolean()
    complaint_type = one_of(COMPLAINT_TYPES, allow_none=True,
                            metadata={"description": "Required for a complaint"})
    severity = one_of(SEVERITIES)
    priority = one_of(PRIORITIES, metadata={"description": "Chooses the SLA policy"})
    status = one_of(STATUSES, metadata={
        "description": "new → assigned → in_progress → waiting_on_customer → resolved → "
                       "closed; resolved and closed tickets may be reopened (in_progress)",
        "on_create": False})
    queue_id = fields.UUID(allow_none=True)
    assignee_id = fields.UUID(attribute="owner_id", allow_none=True, metadata={
        "description": "Default: chosen by the queue's assignment rule", "reference": "user"})
    account_id = fields.UUID(allow_none=True,
                             metadata={"description": "Default: the contact's account"})
    contact_id = fields.UUID(allow_none=True)
    product_id = fields.UUID(allow_none=True)
    required_skills = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                                  metadata={"description": "Skills the assignee needs "
                                                           "(the skill_region rule)"})
    region = text(100, metadata={"description": "Where the assignee must work "
                                                "(the skill_region rule)"})
    # What a ticket under way has: not asked when it is opened, shown as it is resolved.
    resolution = text(20000, metadata={"on_create": False,
                                       "shown_when": ("status", (RESOLVED, CLOSED))})
    root_cause = text(200, metadata={"on_create": False,
                                     "shown_when": ("status", (RESOLVED, CLOSED))})
    sla_policy_id = fields.UUID(allow_none=True, metadata={
        "description": "Default: the covering contract's, else the tenant's default policy"})
    entitlement_id = fields.UUID(dump_only=True, metadata={
        "description": "The service contract or warranty covering the ticket",
        "reference": "service_contract"})
    covered = fields.Boolean(dump_only=True)
    first_response_due_at = fields.AwareDateTime(dump_only=True)
    resolution_due_at = fields.AwareDateTime(dump_only=True)
    first_responded_at = fields.AwareDateTime(dump_only=True, metadata={
        "description": "When the first public reply to the customer was written"})
    sla_paused_at = fields.AwareDateTime(dump_only=True, metadata={
        "description": "Set while the resolution clock stands still"})
    sla_paused_minutes = fields.Integer(dump_only=True)
    first_response_breached_at = fields.AwareDateTime(dump_only=True)
    resolution_breached_at = fields.AwareDateTime(dump_only=True)
    resolved_at = fields.AwareDateTime(dump_only=True)
    closed_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class TicketChangeSchema(BaseSchema):
    """One change of a ticket's ``status`` or ``assignee``, and how it came about
    (``manual``, or the queue rule that assigned it)."""

    id = fields.UUID()
    field = fields.String()
    old_value = fields.String(allow_none=True)
    new_value = fields.String(allow_none=True)
    how = fields.String()
    changed_by = fields.UUID(allow_none=True)
    changed_at = fields.AwareDateTime()


class TicketHistorySchema(BaseSchema):
    """A ticket's history, oldest first."""

    items = fields.List(fields.Nested(TicketChangeSchema))


class TicketReplyInSchema(BaseSchema):
    """A reply to write on a ticket."""

    body = required_text(20000)
    public = fields.Boolean(load_default=False, metadata={
        "description": "true: a reply to the customer (mailed to the ticket's contact; the "
                       "first one is the ticket's first response); false: an internal note"})


class TicketReplySchema(BaseSchema):
    """A reply on a ticket: public (to the customer) or an internal note."""

    id = fields.UUID()
    ticket_id = fields.UUID()
    body = fields.String()
    public = fields.Boolean()
    author_id = fields.UUID(allow_none=True)
    author_name = fields.String(allow_none=True)
    mailed_to = fields.String(allow_none=True, metadata={
        "description": "The contact's address a public reply was mailed to"})
    created_at = fields.AwareDateTime()


class TicketRepliesSchema(BaseSchema):
    """A ticket's replies and notes, oldest first."""

    items = fields.List(fields.Nested(TicketReplySchema))


class ServiceSettingsSchema(RecordSchema):
    """The tenant's ticket workflow rules."""

    first_reply_status = one_of((IN_PROGRESS,), allow_none=True, metadata={
        "description": "The status a new or assigned ticket moves to with the first public "
                       "reply by an agent (default: in_progress); null: it keeps its status"})


class QueueSchema(RecordSchema):
    """A queue of tickets, the users who take them and how it assigns them."""

    name = required_text(200)
    description = text(2000)
    rule = one_of(ASSIGNMENT_RULES, metadata={
        "description": "manual (default), round_robin, least_loaded or skill_region (the "
                       "least loaded member whose technician profile has the ticket's "
                       "required skills and region; nobody: the ticket waits, recorded)"})
    member_ids = fields.List(fields.UUID(), metadata={"description": "Users taking tickets",
                                                      "reference": "user"})
    lead_id = fields.UUID(allow_none=True, metadata={
        "description": "Told of the queue's SLA breaches, with the assignee",
        "reference": "user"})
    channels = fields.List(fields.String(validate=validate.OneOf(CHANNELS)), metadata={
        "description": "New tickets of these channels that name no queue land here"})

    @post_load
    def _members_as_text(self, data: dict, **kwargs) -> dict:
        """The ids are kept as JSON text."""
        if data.get("member_ids") is not None:
            data["member_ids"] = [str(member) for member in dict.fromkeys(data["member_ids"])]
        return data
