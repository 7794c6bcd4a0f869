"""Tickets submitted through the public support form (``/t/<tenant>/support``).

Anyone may send the form, with any address, so an address is not proof of who sent it. A
sender unknown to the tenant becomes a new contact (through the core's contact operation,
so it is validated, audited and announced like any other) and the ticket is theirs. When a
contact already has the address, the ticket is kept apart (``sender_email`` only) and a
confirmation mail goes to that address: the ticket joins the contact and their account only
when the link in it is followed, so nobody can write into a customer's history, or read the
replies meant for them, by typing their address. (Help desks that link by address alone
invite exactly that; Zendesk's and Freshdesk's answer is a verification mail too.) The page
answers the same either way, so the form does not tell who is a customer.

A tenant whose contacts need more than a name and an e-mail (required custom fields) still
gets the ticket, without a contact.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from patron.sdk import (
    Contact,
    Tenant,
    ValidationFailed,
    absolute_url,
    create_record,
    db,
    emit,
    queue_mail,
    spec_for,
)
from patron_service.models.tickets import Ticket
from patron_service.schemas.tickets import TicketSchema
from patron_service.services.tickets import link_customer, open_ticket

WEB_FORM = "web_form"
SALT = "patron.support-confirmation"
#: How long a confirmation link works.
CONFIRM_WITHIN = timedelta(days=7)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _contact_with(email: str) -> Contact | None:
    return db.session.execute(
        select(Contact).where(Contact.email == email).order_by(Contact.created_at).limit(1)
    ).scalar_one_or_none()


def _new_contact(name: str, email: str) -> Contact | None:
    first, _sep, last = name.strip().rpartition(" ")
    try:
        with db.session.begin_nested():
            return create_record(spec_for("contact"), {
                "first_name": first or None, "last_name": last, "email": email})
    except ValidationFailed:
        return None


def _ask_confirmation(tenant: Tenant, ticket: Ticket) -> None:
    token = _serializer().dumps({"tenant": tenant.id.hex, "ticket": ticket.id.hex})
    link = absolute_url("service_pages.support.confirm_sender_page", slug=tenant.slug, token=token)
    queue_mail(ticket.sender_email, _("Please confirm your request: %(subject)s",
                                      subject=ticket.subject), _(
        "We received a support request from this address:\n\n  %(subject)s\n\n"
        "If you sent it, confirm it here so that we can link it to your customer record "
        "(the link works for %(days)d days):\n\n%(link)s\n\n"
        "If you did not send it, ignore this mail.\n",
        subject=ticket.subject, days=CONFIRM_WITHIN.days, link=link),
        kind="service.support_confirmation")


def submit_ticket(tenant: Tenant, name: str, email: str, subject: str,
                  description: str) -> Ticket:
    """Open a web-form ticket for the sender (``ticket.created``): a new sender's ticket is
    their new contact's; a known address gets a confirmation mail first."""
    email = email.strip().lower()
    known = _contact_with(email) is not None
    contact = None if known else _new_contact(name, email)
    ticket = open_ticket({
        "subject": subject, "description": description, "channel": WEB_FORM,
        "sender_email": email, "contact_id": contact.id if contact else None,
        "account_id": contact.account_id if contact else None})
    if known:
        _ask_confirmation(tenant, ticket)
    emit("ticket.created", TicketSchema().dump(ticket))
    return ticket


def ticket_to_confirm(tenant: Tenant, token: str) -> Ticket | None:
    """The ticket of ``tenant`` that confirmation link ``token`` names; ``None`` when the
    link is forged, expired, of another tenant, or its ticket is gone."""
    try:
        data = _serializer().loads(token, max_age=CONFIRM_WITHIN.total_seconds())
        if data["tenant"] != tenant.id.hex:
            return None
        ticket_id = uuid.UUID(hex=data["ticket"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return db.session.execute(select(Ticket).where(Ticket.id == ticket_id)).scalar_one_or_none()


def confirm_sender(ticket: Ticket) -> None:
    """Link the ticket to the contact with its sender's address, and their account (recorded
    like any change); nothing when it is linked already or no contact has the address now."""
    if ticket.contact_id is not None or not ticket.sender_email:
        return
    contact = _contact_with(ticket.sender_email)
    if contact is not None:
        link_customer(ticket, contact.id, ticket.account_id or contact.account_id)
