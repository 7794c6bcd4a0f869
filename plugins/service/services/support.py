"""Tickets submitted through the public support form (``/t/<tenant>/support``).

The sender becomes the ticket's contact: the contact with that e-mail address if there is
one, otherwise a new one (through the core's contact operation, so it is validated, audited
and announced like any other). A tenant whose contacts need more than a name and an e-mail
(required custom fields) still gets the ticket, without a contact.
"""

from __future__ import annotations

from sqlalchemy import select

from patron.sdk import Contact, ValidationFailed, create_record, db, emit, spec_for
from patron_service.models.tickets import Ticket
from patron_service.schemas.tickets import TicketSchema
from patron_service.services.tickets import open_ticket

WEB_FORM = "web_form"


def contact_for(name: str, email: str) -> Contact | None:
    """The contact with ``email``, created from ``name`` and ``email`` if there is none."""
    email = email.strip().lower()
    found = db.session.execute(
        select(Contact).where(Contact.email == email).order_by(Contact.created_at).limit(1)
    ).scalar_one_or_none()
    if found is not None:
        return found
    first, _, last = name.strip().rpartition(" ")
    try:
        with db.session.begin_nested():
            return create_record(spec_for("contact"), {
                "first_name": first or None, "last_name": last, "email": email})
    except ValidationFailed:
        return None


def submit_ticket(name: str, email: str, subject: str, description: str) -> Ticket:
    """Open a web-form ticket for the sender (``ticket.created``)."""
    contact = contact_for(name, email)
    ticket = open_ticket({
        "subject": subject, "description": description, "channel": WEB_FORM,
        "contact_id": contact.id if contact else None,
        "account_id": contact.account_id if contact else None})
    emit("ticket.created", TicketSchema().dump(ticket))
    return ticket
