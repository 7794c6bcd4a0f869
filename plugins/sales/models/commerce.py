"""The commercial side of the sales module: price lists, quotes, orders, contracts and their
payment plans.

Same rules as :mod:`patron_sales.models.deals`: ``sales_`` tables, ``tenant_id`` leading every key
and index, references through :func:`~patron.sdk.tenant_fk`, amounts as ``Numeric(18, 4)``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import (
    AMOUNT,
    JSONType,
    Owned,
    TenantScoped,
    Timestamps,
    UTCDateTimeColumn,
    Versioned,
    custom_values_index,
    numbered,
    owner_constraints,
    tenant_fk,
)
from patron_sales.models.deals import PERCENT


class PriceList(TenantScoped, Timestamps, Versioned):
    """Prices of catalogue products in one currency (a product without a price here is
    quoted at its list price when the currencies match)."""

    __tablename__ = "sales_price_lists"

    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)


class PriceListItem(TenantScoped, Timestamps, Versioned):
    """A product's price in a price list."""

    __tablename__ = "sales_price_list_items"

    price_list_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    unit_price: Mapped[Decimal] = mapped_column(AMOUNT)

    __table_args__ = (
        tenant_fk("price_list_id", "sales_price_lists", ondelete="CASCADE"),
        tenant_fk("product_id", "products"),
        UniqueConstraint("tenant_id", "price_list_id", "product_id"),
        Index("ix_sales_price_list_items_product", "tenant_id", "product_id"),
    )


class Quote(TenantScoped, Timestamps, Versioned, Owned):
    """A priced offer to an account, usually for a deal. Lines change only while it is a
    draft; revising a sent or rejected quote makes the next ``revision`` (a new draft with
    the same lines).

    Totals are computed with Decimal (:mod:`patron_sales.services.quotes`): ``subtotal`` (the
    lines), less ``discount_percent``, plus ``tax_percent`` of what remains.
    """

    __tablename__ = "sales_quotes"

    #: QT-00042: the tenant's next quote number, given as the quote is saved; its revisions
    #: keep it (the customer's reference is the number and the revision).
    number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    #: Whom the quote is for (and, sent by e-mail, was mailed to).
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    previous_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    currency: Mapped[str] = mapped_column(String(3))
    valid_until: Mapped[date | None] = mapped_column(Date)
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    tax_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    subtotal: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    discount_amount: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    tax_amount: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    notes: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    #: The address the quote was e-mailed to, with its PDF (none: handed over otherwise).
    sent_to: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)

    __table_args__ = (
        *owner_constraints("sales_quotes"),
        tenant_fk("opportunity_id", "sales_opportunities"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("contact_id", "contacts"),
        UniqueConstraint("tenant_id", "number", "revision"),
        tenant_fk("price_list_id", "sales_price_lists"),
        tenant_fk("previous_id", "sales_quotes"),
        Index("ix_sales_quotes_opportunity", "tenant_id", "opportunity_id"),
        Index("ix_sales_quotes_status", "tenant_id", "status", "valid_until"),
    )


class QuoteLine(TenantScoped, Timestamps, Versioned):
    """A product on a quote: quantity × unit price less the line's discount."""

    __tablename__ = "sales_quote_lines"

    quote_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    description: Mapped[str | None] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(AMOUNT)
    unit_price: Mapped[Decimal] = mapped_column(AMOUNT)
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(AMOUNT)

    __table_args__ = (
        tenant_fk("quote_id", "sales_quotes", ondelete="CASCADE"),
        tenant_fk("product_id", "products"),
        Index("ix_sales_quote_lines_quote", "tenant_id", "quote_id"),
        Index("ix_sales_quote_lines_product", "tenant_id", "product_id"),
    )


class Order(TenantScoped, Timestamps, Versioned, Owned):
    """What the customer bought: made by accepting a quote (whose lines it keeps), or entered
    directly (an order taken outside the quoting flow)."""

    __tablename__ = "sales_orders"

    #: SO-00042: the tenant's next order number, given as the order is saved.
    number: Mapped[str] = mapped_column(String(20))
    quote_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default="open")
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(AMOUNT)
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("sales_orders"),
        custom_values_index("sales_orders"),
        tenant_fk("quote_id", "sales_quotes"),
        tenant_fk("opportunity_id", "sales_opportunities"),
        tenant_fk("account_id", "accounts"),
        UniqueConstraint("tenant_id", "quote_id"),
        UniqueConstraint("tenant_id", "number"),
        Index("ix_sales_orders_account", "tenant_id", "account_id"),
        Index("ix_sales_orders_opportunity", "tenant_id", "opportunity_id"),
    )


numbered(Order, "number", "sales_order", "SO-{:05d}")
numbered(Quote, "number", "sales_quote", "QT-{:05d}")


class Contract(TenantScoped, Timestamps, Versioned, Owned):
    """An agreement with an account: its value, term, dates and renewal date.

    ``renewal_notified_at`` records that ``contract.renewal_due`` went out for the current
    renewal date (moving the date sends it again).
    """

    __tablename__ = "sales_contracts"

    name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    value: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    term_months: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    renewal_date: Mapped[date | None] = mapped_column(Date)
    renewal_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        *owner_constraints("sales_contracts"),
        custom_values_index("sales_contracts"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("opportunity_id", "sales_opportunities"),
        tenant_fk("order_id", "sales_orders"),
        Index("ix_sales_contracts_account", "tenant_id", "account_id"),
        Index("ix_sales_contracts_renewal", "tenant_id", "status", "renewal_date"),
    )


class Instalment(TenantScoped, Timestamps, Versioned):
    """A scheduled payment of a contract. ``received_amount`` is what the contract's payments
    cover of it (oldest instalment first); ``overdue_at`` is set by the overdue job."""

    __tablename__ = "sales_instalments"

    contract_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    received_amount: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)

    __table_args__ = (
        tenant_fk("contract_id", "sales_contracts", ondelete="CASCADE"),
        Index("ix_sales_instalments_contract", "tenant_id", "contract_id", "due_date"),
        Index("ix_sales_instalments_due", "tenant_id", "due_date"),
    )


class Payment(TenantScoped, Timestamps, Versioned):
    """Money received for a contract."""

    __tablename__ = "sales_payments"

    contract_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        tenant_fk("contract_id", "sales_contracts", ondelete="CASCADE"),
        Index("ix_sales_payments_contract", "tenant_id", "contract_id"),
    )


MODELS = [PriceList, PriceListItem, Quote, QuoteLine, Order, Contract, Instalment, Payment]
