"""The service desk's tables: queues and their members, tickets, their history and their
replies (SLA policies and the business calendar are in :mod:`patron_service.models.sla`).

Every table carries the module's prefix (``service_``), leads its keys and indexes with
``tenant_id`` and refers to other tenant-owned rows through :func:`patron.db.tenant_fk`
(DESIGN.md invariant 1). A ticket's owner is its assignee, so the core's data scopes (own,
department, ...) apply to tickets as they do to any owned record.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import (
    JSONType,
    Owned,
    TenantScoped,
    Timestamps,
    UTCDateTimeColumn,
    Versioned,
    custom_values_index,
    owner_constraints,
    tenant_fk,
)

# ---- ticket vocabulary -----------------------------------------------------------------------

CHANNELS = ("web_form", "email", "phone", "api", "walk_in")
COMPLAINT_TYPES = ("product_quality", "price", "performance", "staff_attitude",
                   "service_quality", "service_charges")
SEVERITIES = ("minor", "moderate", "major", "critical")
PRIORITIES = ("low", "normal", "high", "urgent")
NEW, ASSIGNED, IN_PROGRESS, WAITING, RESOLVED, CLOSED = (
    "new", "assigned", "in_progress", "waiting_on_customer", "resolved", "closed")
STATUSES = (NEW, ASSIGNED, IN_PROGRESS, WAITING, RESOLVED, CLOSED)
#: Statuses in which a ticket still needs work (its SLA clock runs, it shows on panels).
OPEN_STATUSES = (NEW, ASSIGNED, IN_PROGRESS, WAITING)
MANUAL, ROUND_ROBIN, LEAST_LOADED, SKILL_REGION = (
    "manual", "round_robin", "least_loaded", "skill_region")
ASSIGNMENT_RULES = (MANUAL, ROUND_ROBIN, LEAST_LOADED, SKILL_REGION)


class Queue(TenantScoped, Timestamps, Versioned):
    """Where tickets wait for an agent: its members take them, and ``rule`` says how a new
    ticket is assigned to one of them (``manual``: it waits for someone to take it)."""

    __tablename__ = "service_queues"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(16), default=MANUAL)
    #: Ids (text) of the users who take the queue's tickets.
    member_ids: Mapped[list] = mapped_column(JSONType, default=list)
    #: Channels whose new tickets land here when they name no queue (``web_form``, ...).
    channels: Mapped[list] = mapped_column(JSONType, default=list)
    #: The member who got the last ticket by round robin (the next one goes to who follows).
    last_assigned_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: Who hears of the queue's SLA breaches besides the assignee.
    lead_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        tenant_fk("last_assigned_id", "users"),
        tenant_fk("lead_id", "users"),
    )


class Ticket(TenantScoped, Timestamps, Versioned, Owned):
    """A service request or complaint. ``owner_id`` is the assignee.

    The SLA due times come from the targets of its policy (the tenant's default one unless
    it names another) for its priority, counted in business hours from ``created_at``;
    while the ticket waits on the customer (``sla_paused_at``) the resolution clock stops
    and resumes with what was left.
    """

    __tablename__ = "service_tickets"

    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    #: The address a public support form was sent from. The ticket is linked to the contact
    #: with that address only once the sender confirms it (see ``services/support.py``).
    sender_email: Mapped[str | None] = mapped_column(String(254))
    channel: Mapped[str] = mapped_column(String(16), default="api")
    category: Mapped[str | None] = mapped_column(String(100))
    is_complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    complaint_type: Mapped[str | None] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16), default="moderate")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(24), default=NEW)
    queue_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: What the assignee must be able to do, and where (the ``skill_region`` rule).
    required_skills: Mapped[list] = mapped_column(JSONType, default=list)
    region: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(String(200))
    sla_policy_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: The service contract or warranty that covers the ticket, if any.
    entitlement_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    first_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    sla_paused_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    #: Business minutes the resolution clock has stood still so far (waiting on the customer).
    sla_paused_minutes: Mapped[int] = mapped_column(Integer, default=0)
    sla_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    first_response_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    resolution_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("service_tickets"),
        custom_values_index("service_tickets"),
        tenant_fk("queue_id", "service_queues"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("contact_id", "contacts"),
        tenant_fk("product_id", "products"),
        tenant_fk("sla_policy_id", "service_sla_policies"),
        tenant_fk("entitlement_id", "service_contracts"),
        Index("ix_service_tickets_status", "tenant_id", "status"),
        Index("ix_service_tickets_account", "tenant_id", "account_id", "status"),
        Index("ix_service_tickets_queue", "tenant_id", "queue_id", "status"),
        Index("ix_service_tickets_resolution_due", "tenant_id", "resolution_due_at"),
        Index("ix_service_tickets_entitlement", "tenant_id", "entitlement_id"),
    )

    @property
    def covered(self) -> bool:
        """Whether a service contract or warranty covers the ticket."""
        return self.entitlement_id is not None


class TicketChange(TenantScoped):
    """One recorded change of a ticket's status or assignee (its history): who, when, from
    what to what, and how (``rule`` names the assignment rule, ``manual`` a person).
    ``field`` = ``assignment`` with ``unmatched`` records that the ``skill_region`` rule
    found nobody with the ticket's skills and region."""

    __tablename__ = "service_ticket_changes"

    ticket_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    field: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(String(64))
    new_value: Mapped[str | None] = mapped_column(String(64))
    how: Mapped[str] = mapped_column(String(16), default=MANUAL)
    changed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)

    __table_args__ = (
        tenant_fk("ticket_id", "service_tickets", ondelete="CASCADE"),
        tenant_fk("changed_by", "users"),
        Index("ix_service_ticket_changes_ticket", "tenant_id", "ticket_id", "changed_at"),
    )


class TicketReply(TenantScoped):
    """A message on a ticket by a user: ``public`` (a reply to the customer, mailed to the
    ticket's contact — ``mailed_to`` keeps the address) or an internal note for the team."""

    __tablename__ = "service_ticket_replies"

    ticket_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    body: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    mailed_to: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)

    __table_args__ = (
        tenant_fk("ticket_id", "service_tickets", ondelete="CASCADE"),
        tenant_fk("author_id", "users"),
        Index("ix_service_ticket_replies_ticket", "tenant_id", "ticket_id", "created_at"),
    )


class ServiceSettings(TenantScoped, Timestamps, Versioned):
    """The tenant's ticket workflow rules: the status a new or assigned ticket moves to with
    the first public reply by an agent (``None``: it keeps its status)."""

    __tablename__ = "service_settings"

    first_reply_status: Mapped[str | None] = mapped_column(String(24), default=IN_PROGRESS)

    __table_args__ = (UniqueConstraint("tenant_id"),)


MODELS = [Queue, Ticket, TicketChange, TicketReply, ServiceSettings]
