"""API schemas of the service desk: tickets, their history, queues, SLA policies, business
hours and holidays."""

from __future__ import annotations

from marshmallow import fields, post_load, validate

from patron.sdk import BaseSchema, OwnedRecordSchema, RecordSchema, custom_values, text
from patron_service.models import (
    ASSIGNMENT_RULES,
    CHANNELS,
    COMPLAINT_TYPES,
    PRIORITIES,
    SEVERITIES,
    STATUSES,
)

#: Minutes in a day: business hours run from 0 (midnight) to 1440 (the next midnight).
DAY_MINUTES = 24 * 60


def required_text(maximum: int, **kwargs) -> fields.String:
    """A required, non-empty text of at most ``maximum`` characters."""
    return fields.String(required=True, validate=validate.Length(min=1, max=maximum), **kwargs)


def one_of(choices: tuple[str, ...], **kwargs) -> fields.String:
    """A text that must be one of ``choices``."""
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def minutes(**kwargs) -> fields.Integer:
    """A positive number of minutes."""
    return fields.Integer(validate=validate.Range(min=1, max=366 * DAY_MINUTES), **kwargs)


class TicketSchema(OwnedRecordSchema):
    """A service request or complaint. ``assignee_id`` is the owner; changing ``status``
    follows the workflow and changing ``assignee_id`` reassigns (both recorded)."""

    subject = required_text(200)
    description = text(20000)
    channel = one_of(CHANNELS, metadata={"description": "Default: api"})
    category = text(100)
    is_complaint = fields.Boolean()
    complaint_type = one_of(COMPLAINT_TYPES, allow_none=True,
                            metadata={"description": "Required for a complaint"})
    severity = one_of(SEVERITIES)
    priority = one_of(PRIORITIES, metadata={"description": "Chooses the SLA policy"})
    status = one_of(STATUSES, metadata={
        "description": "new → assigned → in_progress → waiting_on_customer → resolved → "
                       "closed; resolved and closed tickets may be reopened (in_progress)"})
    queue_id = fields.UUID(allow_none=True)
    assignee_id = fields.UUID(attribute="owner_id", allow_none=True, metadata={
        "description": "Default: chosen by the queue's assignment rule"})
    account_id = fields.UUID(allow_none=True,
                             metadata={"description": "Default: the contact's account"})
    contact_id = fields.UUID(allow_none=True)
    product_id = fields.UUID(allow_none=True)
    required_skills = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                                  metadata={"description": "Skills the assignee needs "
                                                           "(the skill_region rule)"})
    region = text(100, metadata={"description": "Where the assignee must work "
                                                "(the skill_region rule)"})
    resolution = text(20000)
    root_cause = text(200)
    sla_policy_id = fields.UUID(allow_none=True, metadata={
        "description": "Default: the covering contract's, else the tenant's default policy"})
    entitlement_id = fields.UUID(dump_only=True, metadata={
        "description": "The service contract or warranty covering the ticket"})
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


class QueueSchema(RecordSchema):
    """A queue of tickets, the users who take them and how it assigns them."""

    name = required_text(200)
    description = text(2000)
    rule = one_of(ASSIGNMENT_RULES, metadata={
        "description": "manual (default), round_robin, least_loaded or skill_region (the "
                       "least loaded member whose technician profile has the ticket's "
                       "required skills and region; nobody: the ticket waits, recorded)"})
    member_ids = fields.List(fields.UUID(), metadata={"description": "Users taking tickets"})
    lead_id = fields.UUID(allow_none=True, metadata={
        "description": "Told of the queue's SLA breaches, with the assignee"})
    channels = fields.List(fields.String(validate=validate.OneOf(CHANNELS)), metadata={
        "description": "New tickets of these channels that name no queue land here"})

    @post_load
    def _members_as_text(self, data: dict, **kwargs) -> dict:
        """The ids are kept as JSON text."""
        if data.get("member_ids") is not None:
            data["member_ids"] = [str(member) for member in dict.fromkeys(data["member_ids"])]
        return data


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
                             metadata={"description": "0 = Monday … 6 = Sunday"})
    start_minute = fields.Integer(load_default=9 * 60,
                                  validate=validate.Range(min=0, max=DAY_MINUTES - 1),
                                  metadata={"description": "Default 540 (09:00)"})
    end_minute = fields.Integer(load_default=17 * 60,
                                validate=validate.Range(min=1, max=DAY_MINUTES),
                                metadata={"description": "Default 1020 (17:00)"})


class HolidaySchema(RecordSchema):
    """A closed day."""

    day = fields.Date(required=True)
    name = required_text(200)


class ArticleSchema(RecordSchema):
    """A knowledge-base article; publishing it needs its solution."""

    title = required_text(200)
    problem = text(20000)
    solution = text(20000)
    category = text(100)
    product_id = fields.UUID(allow_none=True)
    status = one_of(("draft", "published"), metadata={"description": "draft (default) or "
                                                                      "published"})
    published_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class ArticleListSchema(BaseSchema):
    """Articles linked to a ticket, in the order they were linked."""

    items = fields.List(fields.Nested(ArticleSchema))


class SuggestedArticlesSchema(ArticleListSchema):
    """Published articles that may answer a ticket, best first."""


class ArticleLinkSchema(BaseSchema):
    """The article to link to a ticket."""

    article_id = fields.UUID(required=True)


class ServiceContractSchema(RecordSchema):
    """Coverage of an account (one product, or all) for a period, at an SLA tier."""

    name = required_text(200)
    kind = one_of(("contract", "warranty"), metadata={"description": "contract (default) or "
                                                                      "warranty"})
    account_id = fields.UUID(required=True)
    product_id = fields.UUID(allow_none=True, metadata={"description": "Empty: every product"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    sla_policy_id = fields.UUID(allow_none=True, metadata={"description": "The SLA tier"})
    custom = custom_values()
