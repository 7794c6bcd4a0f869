"""The ``mail`` outbox channel: mails are queued explicitly, and delivered over SMTP."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from flask import current_app

from patron.db import db, new_id
from patron.events.dispatch import DomainEvent
from patron.events.models import OutboxMessage
from patron.mail.smtp import send

CHANNEL = "mail"


def mail_enabled() -> bool:
    """Whether an SMTP server is configured (``PATRON_SMTP_HOST``)."""
    return bool(current_app.config["PATRON_SMTP_HOST"])


@dataclass(frozen=True)
class MailAttachment:
    """A file a mail carries: a quote's PDF."""

    filename: str
    content_type: str
    content: bytes

    def as_payload(self) -> dict[str, str]:
        """The attachment as the outbox keeps it (JSON: the content in base64)."""
        return {"filename": self.filename, "content_type": self.content_type,
                "content": base64.b64encode(self.content).decode()}


def queue_mail(to: str, subject: str, text: str, *, kind: str,
               attachments: Sequence[MailAttachment] = ()) -> OutboxMessage:
    """Queue a plain-text mail to ``to`` (with ``attachments``) in the current tenant's
    transaction.

    ``kind`` names it in the outbox (``mail.invitation``, ``sales.daily_report``). Flushes,
    never commits: the mail leaves only if the change that caused it is committed.
    """
    payload: dict[str, Any] = {"to": to, "subject": subject, "text": text}
    if attachments:
        payload["attachments"] = [attachment.as_payload() for attachment in attachments]
    message = OutboxMessage(channel=CHANNEL, target_id=None, event_id=new_id(), event_name=kind,
                            payload=payload)
    db.session.add(message)
    db.session.flush()
    return message


def compose(message: OutboxMessage) -> EmailMessage:
    """The e-mail of a queued ``message``; its Message-ID is the same at every attempt, so a
    mail that is sent twice (a lost SMTP reply) can be recognised as one."""
    mail = EmailMessage()
    mail["From"] = current_app.config["PATRON_MAIL_FROM"]
    mail["To"] = message.payload["to"]
    mail["Subject"] = message.payload["subject"]
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = f"<{message.idempotency_key}@patron.mail>"
    mail.set_content(message.payload["text"])
    for attachment in message.payload.get("attachments", ()):
        maintype, _, subtype = attachment["content_type"].partition("/")
        mail.add_attachment(base64.b64decode(attachment["content"]), maintype=maintype,
                            subtype=subtype, filename=attachment["filename"])
    return mail


class MailChannel:
    """Sends queued mails; subscribes to no event (mail is queued by who decides to send it)."""

    name = CHANNEL

    def targets(self, event: DomainEvent) -> list:
        """None: no event becomes a mail by itself."""
        return []

    def deliver(self, message: OutboxMessage) -> None:
        """Send ``message`` over SMTP; raises (and so is retried) when that fails."""
        send(compose(message))
