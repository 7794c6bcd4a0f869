"""The knowledge base's tables: articles (a problem and its solution, for a product or a
category), and the articles linked to a ticket."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from patron.sdk import JSONType, TenantScoped, Timestamps, UTCDateTimeColumn, Versioned, tenant_fk

DRAFT, PUBLISHED = "draft", "published"
ARTICLE_STATUSES = (DRAFT, PUBLISHED)


class Article(TenantScoped, Timestamps, Versioned):
    """A knowledge-base article; only published ones are suggested."""

    __tablename__ = "service_articles"

    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str | None] = mapped_column(Text)
    solution: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(100))
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTimeColumn)
    custom: Mapped[dict] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        tenant_fk("product_id", "products"),
        Index("ix_service_articles_status", "tenant_id", "status", "category"),
    )


class TicketArticle(TenantScoped):
    """A knowledge-base article linked to a ticket (it answers or explains the ticket), by
    whom and when."""

    __tablename__ = "service_ticket_articles"

    ticket_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    article_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    linked_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTimeColumn)

    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket_id", "article_id"),
        tenant_fk("ticket_id", "service_tickets", ondelete="CASCADE"),
        tenant_fk("article_id", "service_articles", ondelete="CASCADE"),
        tenant_fk("linked_by", "users"),
        Index("ix_service_ticket_articles_article", "tenant_id", "article_id"),
    )


MODELS = [Article, TicketArticle]
