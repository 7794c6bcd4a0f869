"""Outgoing e-mail.

A mail is queued in the transactional outbox together with the change that causes it (an
invitation with the new user, a report with its job run) and sent by the worker over SMTP
(``PATRON_SMTP_*``), retried with backoff and kept as a dead letter when it cannot be sent
(DESIGN.md invariant 4). Core and plugins send mail only through :func:`queue_mail`.
"""

from patron.mail.links import absolute_url, page_path
from patron.mail.outbox import MailAttachment, MailChannel, mail_enabled, queue_mail

__all__ = ["MailAttachment", "MailChannel", "absolute_url", "mail_enabled", "page_path",
           "queue_mail"]
