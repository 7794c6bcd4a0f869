"""The ``mail`` outbox channel: mails are queued explicitly, and delivered over SMTP."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app

from patron.db import db, new_id
from patron.events.dispatch import DomainEvent
from patron.events.models import OutboxMessage
from patron.mail.smtp import send

CHANNEL = "mail"


def mail_enabled() -> bool:
    """Whether an SMTP server is configured (``PATRON_SMTP_HOST``)."""
    return bool(current_app.config["PATRON_SMTP_HOST"])


def queue_mail(to: str, subject: str, text: str, *, kind: str) -> OutboxMessage:
    """Queue a plain-text mail to ``to`` in the current tenant's transaction.

    ``kind`` names it in the outbox (``mail.invitation``, ``sales.daily_report``). Flushes,
    never commits: the mail leaves only if the change that caused it is committed.
    """
    message = OutboxMessage(channel=CHANNEL, target_id=None, event_id=new_id(), event_name=kind,
                            payload={"to": to, "subject": subject, "text": text})
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
