"""Quotes: priced offers for a deal, edited as drafts, then sent, accepted or rejected (or
expired); accepting one makes the order. Revising a decided quote opens the next revision.

Totals use Decimal throughout: the lines' sum (in SQL), the quote's discount on it, then the
tax on what remains, each rounded half up to four places. Events: ``quote.sent``,
``quote.accepted``, ``quote.rejected``, ``quote.expired`` (each with its status change) and
``order.created``.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from patron.sdk import (
    Children,
    Conflict,
    Contact,
    Parent,
    ValidationFailed,
    acting_user_id,
    apply_custom_values_many,
    changed_fields,
    check_reference,
    db,
    emit,
    new_id,
    tenant_currency,
    utcnow,
)
from patron_sales.models.commerce import Order, Quote, QuoteLine
from patron_sales.models.deals import OpportunityContact, OpportunityLine
from patron_sales.permissions import QUOTES
from patron_sales.schemas.commerce import OrderSchema, QuoteLineSchema, QuoteSchema
from patron_sales.services.approvals import check_approved, supersede
from patron_sales.services.opportunities import win_on_accepted_quote
from patron_sales.services.orders import order_of_won_deal
from patron_sales.services.pricing import PLACES, check_price_list, complete_line, total_of
from patron_sales.services.quote_mail import mail_quote, recipient

DRAFT, SENT, ACCEPTED, REJECTED, EXPIRED = "draft", "sent", "accepted", "rejected", "expired"
#: Lines copied to a new revision (and, but for the description, from the deal).
LINE_FIELDS = ("product_id", "description", "quantity", "unit_price", "discount_percent",
               "amount")


def _percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * Decimal(percent) / 100).quantize(PLACES, ROUND_HALF_UP)


def recompute(quote: Quote) -> None:
    """Subtotal from the lines, then discount, tax and total; a changed draft needs any
    approval again."""
    subtotal = total_of(QuoteLine, QuoteLine.quote_id, quote.id) or Decimal(0)
    discount = _percent_of(subtotal, quote.discount_percent or 0)
    tax = _percent_of(subtotal - discount, quote.tax_percent or 0)
    quote.subtotal, quote.discount_amount, quote.tax_amount = subtotal, discount, tax
    quote.total = subtotal - discount + tax
    db.session.flush()
    supersede(quote)


def check_draft(quote: Quote) -> None:
    """409 unless ``quote`` is still a draft (only drafts change)."""
    if quote.status != DRAFT:
        raise Conflict(f"the quote is {quote.status}; only drafts change (revise it instead)")


def _deal_terms(data: dict) -> Any:
    """Fill the account, currency and price list from the deal the quote is for; the deal."""
    opportunity = check_reference("opportunity_id", "opportunity", data["opportunity_id"])
    if data.setdefault("account_id", opportunity.account_id) != opportunity.account_id:
        raise ValidationFailed({"account_id": ["The deal is with another account."]})
    data.setdefault("currency", opportunity.currency)
    data.setdefault("price_list_id", opportunity.price_list_id)
    # The deal's primary contact (else its first) at the deal's account.
    data.setdefault("contact_id", db.session.execute(
        select(OpportunityContact.contact_id)
        .join(Contact, Contact.id == OpportunityContact.contact_id)
        .where(OpportunityContact.opportunity_id == opportunity.id,
               Contact.account_id == opportunity.account_id)
        .order_by(OpportunityContact.is_primary.desc(), OpportunityContact.created_at)
        .limit(1)).scalar())
    return opportunity


def check_contact(contact_id: uuid.UUID | None, account_id: uuid.UUID) -> None:
    """422 unless ``contact_id`` (if any) is a contact the user may see at the account."""
    if contact_id is None:
        return
    contact = check_reference("contact_id", "contact", contact_id)
    if contact.account_id != account_id:
        raise ValidationFailed({"contact_id": ["The contact is not at the quote's account."]})


def _copy_deal_lines(quote: Quote, opportunity: Any) -> None:
    """Start ``quote`` with its deal's product lines, as a quote made from an opportunity
    does in the CRMs salespeople know; prices in another currency than the quote's are not
    copied (the lines are then added on the quote, priced from its list)."""
    if opportunity.currency != quote.currency:
        return
    lines = db.session.execute(
        select(OpportunityLine).where(OpportunityLine.opportunity_id == opportunity.id)
        .order_by(OpportunityLine.created_at, OpportunityLine.id)).scalars()
    db.session.add_all(QuoteLine(quote_id=quote.id, **{
        name: getattr(line, name, None) for name in LINE_FIELDS}) for line in lines)


def create_quote(data: dict) -> Quote:
    """A new draft for a deal (starting with the deal's product lines) or for an account the
    user may see."""
    opportunity = _deal_terms(data) if data.get("opportunity_id") else None
    if data.get("account_id") is None:
        raise ValidationFailed({"account_id": ["Give the deal or the account."]})
    check_reference("account_id", "account", data["account_id"])
    check_contact(data.get("contact_id"), data["account_id"])
    data.setdefault("currency", tenant_currency())
    check_price_list(data.get("price_list_id"), data["currency"])
    quote = Quote(owner_id=acting_user_id(), status=DRAFT, revision=1, **data)
    db.session.add(quote)
    db.session.flush()
    if opportunity is not None:
        _copy_deal_lines(quote, opportunity)
        db.session.flush()
    recompute(quote)
    return quote


def update_quote(quote: Quote, data: dict) -> None:
    """Change a draft (its deal stays)."""
    check_draft(quote)
    for key in ("opportunity_id", "account_id", "currency"):
        if key in data and data[key] != getattr(quote, key):
            raise ValidationFailed({key: ["Set when the quote is made; make a new quote."]})
    if "price_list_id" in data:
        check_price_list(data["price_list_id"], quote.currency)
    if "contact_id" in data:
        check_contact(data["contact_id"], quote.account_id)
    for key, value in data.items():
        setattr(quote, key, value)
    recompute(quote)


def delete_quote(quote: Quote) -> None:
    """Delete a draft."""
    check_draft(quote)
    db.session.delete(quote)
    db.session.flush()


def _set_status(quote: Quote, allowed_from: tuple[str, ...], status: str) -> None:
    if quote.status not in allowed_from:
        raise Conflict(f"a {quote.status} quote cannot become {status}")
    before = quote.status
    quote.status = status
    if status == SENT:
        quote.sent_at = utcnow()
    else:
        quote.decided_at = utcnow()
    db.session.flush()
    emit(f"quote.{status}", {**QuoteSchema().dump(quote), "changes": {"status": [before, status]}})


def send(quote: Quote, contact_id: uuid.UUID | None = None, message: str | None = None) -> None:
    """Send a draft that has lines (approved first if its discount needs it): with
    ``contact_id``, e-mail it to that contact with its PDF and ``message``
    (:mod:`~patron_sales.services.quote_mail`); without, only mark it sent (handed over
    otherwise)."""
    if total_of(QuoteLine, QuoteLine.quote_id, quote.id) is None:
        raise ValidationFailed({"lines": ["Add at least one line before sending."]})
    check_draft(quote)
    check_approved(quote, "sent")
    contact = recipient(quote, contact_id) if contact_id else None
    if contact is not None:
        quote.contact_id, quote.sent_to = contact.id, contact.email
    _set_status(quote, (DRAFT,), SENT)
    if contact is not None:
        mail_quote(quote, contact, message)


def _order_custom(order: Order, given: dict | None, *, creating: bool) -> None:
    """Give the order its custom values (``given`` merged with what it has; the tenant's
    required ones must be there), errors under ``order`` as the request names them."""
    try:
        apply_custom_values_many("order", [(order, given)], creating=creating)
    except ValidationFailed as error:
        raise ValidationFailed({"order": error.errors}) from error


def accept(quote: Quote, order_custom: dict | None = None) -> Order:
    """Accept a sent quote that has not run out, and make its order (``order.created``) with
    the custom values ``order_custom``, or complete the order that winning its deal made.
    The deal, still open, is won then if its pipeline says so (``win_on_quote_accept``: a
    customer who accepted the offer has bought; the deal's own order is this one)."""
    if quote.valid_until is not None and quote.valid_until < utcnow().date():
        raise Conflict("the quote ran out on its valid_until date; revise it")
    _set_status(quote, (SENT,), ACCEPTED)
    won = order_of_won_deal(quote.opportunity_id) if quote.opportunity_id else None
    if won is not None:
        before = OrderSchema().dump(won)
        won.quote_id, won.currency, won.total = quote.id, quote.currency, quote.total
        _order_custom(won, order_custom, creating=False)
        db.session.flush()
        after = OrderSchema().dump(won)
        emit("order.updated", {**after, "changes": changed_fields(before, after)})
        return won
    order = Order(id=new_id(), quote_id=quote.id, opportunity_id=quote.opportunity_id,
                  account_id=quote.account_id, currency=quote.currency, total=quote.total,
                  owner_id=quote.owner_id, status="open", ordered_at=utcnow())
    _order_custom(order, order_custom, creating=True)
    db.session.add(order)
    db.session.flush()
    emit("order.created", OrderSchema().dump(order))
    if quote.opportunity_id:
        win_on_accepted_quote(quote.opportunity_id)
    return order


def reject(quote: Quote) -> None:
    """Record that the customer turned a sent quote down."""
    _set_status(quote, (SENT,), REJECTED)


def revise(quote: Quote) -> Quote:
    """The next revision of a decided quote: a draft with the same terms and lines."""
    if quote.status not in (SENT, REJECTED, EXPIRED):
        raise Conflict(f"a {quote.status} quote is not revised")
    revision = Quote(
        number=quote.number, contact_id=quote.contact_id,
        name=quote.name, opportunity_id=quote.opportunity_id, account_id=quote.account_id,
        price_list_id=quote.price_list_id, previous_id=quote.id, revision=quote.revision + 1,
        status=DRAFT, currency=quote.currency, valid_until=None,
        discount_percent=quote.discount_percent, tax_percent=quote.tax_percent,
        notes=quote.notes, owner_id=acting_user_id() or quote.owner_id)
    db.session.add(revision)
    db.session.flush()
    for line in QUOTE_LINES.rows(quote):
        db.session.add(QuoteLine(quote_id=revision.id,
                                 **{name: getattr(line, name) for name in LINE_FIELDS}))
    db.session.flush()
    recompute(revision)
    emit("quote.created", QuoteSchema().dump(revision))
    return revision


def expire_quotes() -> int:
    """Mark the current tenant's sent quotes past their ``valid_until`` expired."""
    overdue = db.session.execute(
        select(Quote).where(Quote.status == SENT, Quote.valid_until < utcnow().date())
    ).scalars().all()
    for quote in overdue:
        _set_status(quote, (SENT,), EXPIRED)
    return len(overdue)


def _check_line(quote: Quote, data: dict, row: Any) -> None:
    complete_line(data, row, quote.price_list_id, quote.currency)


QUOTE = Parent("quotes", Quote, QUOTES, "quote_id", check_editable=check_draft)
QUOTE_LINES = Children(QUOTE, "lines", "quote_line", QuoteLine, QuoteLineSchema, _check_line,
                       after=recompute)
