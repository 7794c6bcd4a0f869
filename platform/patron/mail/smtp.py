"""Talking to the SMTP server of ``PATRON_SMTP_*`` (the standard library's smtplib)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

TIMEOUT_SECONDS = 30


class MailNotConfigured(RuntimeError):
    """No SMTP server is configured; the message stays queued and is retried."""


def send(mail: EmailMessage) -> None:
    """Hand ``mail`` to the configured SMTP server (raises if it is refused or unreachable)."""
    config = current_app.config
    host, port = config["PATRON_SMTP_HOST"], config["PATRON_SMTP_PORT"]
    if not host:
        raise MailNotConfigured("no SMTP server is configured (PATRON_SMTP_HOST)")
    security = config["PATRON_SMTP_SECURITY"]
    if security == "tls":
        connection = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    with connection as smtp:
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if config["PATRON_SMTP_USERNAME"]:
            smtp.login(config["PATRON_SMTP_USERNAME"], config["PATRON_SMTP_PASSWORD"])
        smtp.send_message(mail)
