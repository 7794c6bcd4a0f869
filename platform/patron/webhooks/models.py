"""The ``webhooks`` table: one tenant's subscription of a URL to domain events."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped, Timestamps, Versioned
from patron.db.base import JSONType

#: Subscribes a webhook to every event.
ALL_EVENTS = "*"


class Webhook(TenantScoped, Timestamps, Versioned):
    """A URL that receives the tenant's events whose names are in ``events`` (or ``"*"``).

    ``secret`` signs every delivery. It is kept in clear because signing needs it, and the API
    shows it only in the response that creates the webhook.
    """

    __tablename__ = "webhooks"

    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSONType)
    secret: Mapped[str] = mapped_column(String(128))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("ix_webhooks_active", "tenant_id", "active"),)


def subscribes_to(events: Collection[str], event_name: str) -> bool:
    """Whether a subscription to ``events`` covers ``event_name``."""
    return ALL_EVENTS in events or event_name in events
