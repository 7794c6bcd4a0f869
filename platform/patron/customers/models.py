"""The customer master: accounts, contacts, products, the activity timeline, attachments."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import Owned, TenantScoped, Timestamps, Versioned, owner_constraints, tenant_fk
from patron.db.base import JSONType
from patron.db.indexes import custom_values_index, folded_indexes
from patron.db.types import AMOUNT, UTCDateTime

#: Money and other amounts: four decimal places cover every ISO 4217 currency's minor unit.




class Account(TenantScoped, Timestamps, Versioned, Owned):
    """A customer organisation or person; accounts may form a hierarchy through ``parent_id``."""

    __tablename__ = "accounts"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="company")
    status: Mapped[str] = mapped_column(String(16), default="prospect")
    domain: Mapped[str | None] = mapped_column(String(253))
    industry: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(500))
    addresses: Mapped[list] = mapped_column(JSONType, default=list)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    department_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("accounts"),
        custom_values_index("accounts"),
        tenant_fk("parent_id", "accounts"),
        tenant_fk("department_id", "departments"),
        Index("ix_accounts_name", "tenant_id", "name"),
        Index("ix_accounts_domain", "tenant_id", "domain"),
        # Duplicate matching (imports, lead conversion) compares case-folded values.
        *folded_indexes("accounts", "name", "domain"),
        Index("ix_accounts_parent", "tenant_id", "parent_id"),
        Index("ix_accounts_department", "tenant_id", "department_id"),
        # "My accounts" by name, a rep's everyday list: read in order, no sort of all of them.
        Index("ix_accounts_owner_name", "tenant_id", "owner_id", "name", "id"),
    )


class Contact(TenantScoped, Timestamps, Versioned, Owned):
    """A person, usually at an account.

    ``email`` is the primary address (the first of ``emails``), lower-cased and indexed so
    imports and forms can find duplicates.
    """

    __tablename__ = "contacts"

    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    emails: Mapped[list] = mapped_column(JSONType, default=list)
    phones: Mapped[list] = mapped_column(JSONType, default=list)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    email_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("contacts"),
        custom_values_index("contacts"),
        tenant_fk("account_id", "accounts"),
        Index("ix_contacts_email", "tenant_id", "email"),
        *folded_indexes("contacts", "email"),
        Index("ix_contacts_account", "tenant_id", "account_id"),
        Index("ix_contacts_last_name", "tenant_id", "last_name"),
        # "My contacts" by last name (bench/RESULTS.md: without it every one of the owner's
        # contacts was read and sorted for each page).
        Index("ix_contacts_owner_last_name", "tenant_id", "owner_id", "last_name", "id"),
    )

    @hybrid_property
    def full_name(self) -> str:
        """First and last name, as people are addressed."""
        return f"{self.first_name or ''} {self.last_name}".strip()

    @full_name.inplace.expression
    @classmethod
    def _full_name_expression(cls):
        return func.trim(func.coalesce(cls.first_name, "") + " " + cls.last_name)


class Product(TenantScoped, Timestamps, Versioned):
    """An item of the tenant's catalogue; ``sku`` is unique within the tenant."""

    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32), default="each")
    list_price: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        UniqueConstraint("tenant_id", "sku"),
        Index("ix_products_name", "tenant_id", "name"),
        custom_values_index("products"),
    )


class Activity(TenantScoped, Timestamps, Versioned, Owned):
    """One entry of the timeline: a call, meeting, task, e-mail, note or visit.

    Besides an account and a contact it may point at any registered entity's record
    (``related_entity`` + ``related_id``: a plugin's deal or ticket), which no foreign key
    can express; the services check the link when it is written.
    """

    __tablename__ = "activities"

    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    related_entity: Mapped[str | None] = mapped_column(String(64))
    related_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    cost: Mapped[Decimal | None] = mapped_column(AMOUNT)
    currency: Mapped[str | None] = mapped_column(String(3))
    outcome: Mapped[str | None] = mapped_column(String(200))
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: When its owner was reminded of it (:mod:`patron.customers.reminders`).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        *owner_constraints("activities"),
        # The calendar's ranges and the reminders' look-ahead.
        Index("ix_activities_due", "tenant_id", "due_at"),
        Index("ix_activities_start", "tenant_id", "start_at"),
        custom_values_index("activities"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("contact_id", "contacts"),
        Index("ix_activities_account", "tenant_id", "account_id"),
        Index("ix_activities_contact", "tenant_id", "contact_id"),
        Index("ix_activities_related", "tenant_id", "related_entity", "related_id"),
    )


class Attachment(TenantScoped, Timestamps, Versioned):
    """A file attached to a record of any registered entity.

    Who may see it follows from who may read the parent record, so it has no owner of its
    own; the bytes live in the file store (:mod:`patron.filestore`), not the database.
    """

    __tablename__ = "attachments"

    parent_entity: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(BigInteger)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (
        tenant_fk("uploaded_by", "users"),
        Index("ix_attachments_parent", "tenant_id", "parent_entity", "parent_id"),
    )
