"""E-mailing a quote: to a contact at its account, with its PDF, through the outbox.

The mail and its PDF are written in the tenant's language (the customer's is not known), not
the sender's, and leave with the change that sends the quote, or not at all (the outbox's
transaction).
"""

from __future__ import annotations

import uuid

from flask_babel import force_locale
from flask_babel import gettext as _

from patron.sdk import (
    Contact,
    MailAttachment,
    ValidationFailed,
    check_reference,
    current_tenant,
    mail_enabled,
    queue_mail,
)
from patron_sales.models.commerce import Quote
from patron_sales.services.formatting import formatting
from patron_sales.services.quote_document import pdf_name, quote_pdf

KIND = "sales.quote"


def recipient(quote: Quote, contact_id: uuid.UUID) -> Contact:
    """The contact ``contact_id`` if the quote can be mailed to them: a contact the user may
    see, at the quote's account, with an e-mail address, and a mail server to send with;
    else a 422 on ``contact_id`` saying which is missing."""
    contact = check_reference("contact_id", "contact", contact_id)
    if contact.account_id != quote.account_id:
        raise ValidationFailed({"contact_id": ["The contact is not at the quote's account."]})
    if not contact.email:
        raise ValidationFailed({"contact_id": ["The contact has no e-mail address."]})
    if not mail_enabled():
        raise ValidationFailed({"contact_id": [
            "No mail server is configured, so the quote cannot be e-mailed: send it without a "
            "recipient and hand it over yourself."]})
    return contact


def mail_quote(quote: Quote, contact: Contact, message: str | None) -> None:
    """Queue the quote's mail to ``contact``, its PDF attached."""
    tenant = current_tenant()
    with force_locale(tenant.locale):
        day = formatting()["day"]
        subject = _("Quote %(number)s from %(seller)s", number=quote.number,
                    seller=tenant.name)
        body = [_("Dear %(name)s,", name=contact.full_name), ""]
        if message:
            body += [message.strip(), ""]
        body.append(_("Please find attached our quote %(number)s, “%(name)s”.",
                      number=quote.number, name=quote.name))
        if quote.valid_until:
            body.append(_("It is valid until %(day)s.", day=day(quote.valid_until)))
        body += ["", tenant.name]
        pdf = MailAttachment(pdf_name(quote), "application/pdf", quote_pdf(quote))
    queue_mail(contact.email, subject, "\n".join(body), kind=KIND, attachments=[pdf])
