"""The quote editor, ``/sales/quotes/<id>``, and the printable quote (``…/print``).

A quote is made from its deal's page (``POST /sales/deals/<id>/quotes``), then edited while
it is a draft: its terms (validity, discount, tax, notes) and its lines (a catalogue product
at its price-list price, quantity, discount), with the totals the server computes in
Decimal. The buttons send it (once the owner's manager has approved it when its discount is
above the tenant's threshold), record the customer's acceptance (which makes the order) or
refusal, and open a new version. Accepting asks for the custom fields the tenant made required
on orders, as the API's ``accept`` takes them, and writes nothing unless they are valid.
Everything goes through the services behind ``/api/v1/sales/quotes``:
:func:`~patron_sales.services.quotes.create_quote` and the record operations,
:data:`~patron_sales.services.quotes.QUOTE_LINES`,
:func:`~patron_sales.services.quotes.send`, :func:`~patron_sales.services.quotes.accept`,
:func:`~patron_sales.services.quotes.reject`, :func:`~patron_sales.services.quotes.revise` and
:func:`~patron_sales.services.approvals.request_approval`.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from patron.sdk import (
    Contact,
    FieldInfo,
    Outcome,
    ValidationFailed,
    attempt,
    can,
    db,
    get_scoped_or_404,
    hidden_fields,
    initial_values,
    mail_enabled,
    parse_form,
    require,
    required_custom_fields,
    save_changes,
    save_new,
    schema_fields,
    scoped_select,
    spec_for,
)
from patron_sales.models.commerce import Contract, Order, Quote
from patron_sales.models.deals import Opportunity
from patron_sales.pages.deal import LABELS, PRICE_HINT, render_deal
from patron_sales.pages.rows import RowSection, register_row_pages, section_view
from patron_sales.permissions import APPROVALS, CONTRACTS, OPPORTUNITIES, ORDERS, QUOTES
from patron_sales.schemas.commerce import QuoteSchema
from patron_sales.services import approvals, quote_document, quotes
from patron_sales.services.board import account_names

#: The quote's own inputs on the editor.
TERMS = ("name", "contact_id", "valid_until", "discount_percent", "tax_percent", "notes")
TERM_LABELS = {"name": _l("Name"), "contact_id": _l("Contact"), "valid_until": _l("Valid until"),
               "discount_percent": _l("Discount %"), "tax_percent": _l("Tax %"),
               "notes": _l("Notes")}
LINES = RowSection(quotes.QUOTE_LINES, _l("Lines"), _l("Add line"),
                   inputs=("product_id", "description", "quantity", "unit_price",
                           "discount_percent"),
                   columns=("product_id", "description", "quantity", "unit_price",
                            "discount_percent", "amount"),
                   labels=LABELS, hints={"unit_price": PRICE_HINT},
                   money=("unit_price", "amount"))
#: The statuses as the editor shows them (``label(status)`` finds these translations).
STATUS_LABELS = (_l("Draft"), _l("Sent"), _l("Accepted"), _l("Rejected"), _l("Expired"))
#: Why accepting failed when the order lacks a required field the user's role hides.
HIDDEN_REQUIRED = _l("The order needs a value your role may not fill in: ask someone who may "
                     "to accept the quote.")
#: The services' refusals the editor shows (in the user's language: ``translated``), listed
#: for the message catalog.
REFUSALS = (
    _l("Add at least one line before sending."),
    _l("The contact is not at the quote's account."),
    _l("The contact has no e-mail address."),
    _l("No mail server is configured, so the quote cannot be e-mailed: send it without a "
       "recipient and hand it over yourself."),
)
#: Most earlier and later versions listed.
MAX_VERSIONS = 20
#: Most contacts the send form offers.
MAX_RECIPIENTS = 200


@dataclasses.dataclass(frozen=True)
class Action:
    """A button of the editor: the permissions it needs, what it does, what it says after."""

    permissions: tuple[str, ...]
    run: Callable[[Quote], Any]
    done: Any


def order_fields() -> list[FieldInfo]:
    """The custom fields the order accepting a quote makes must be given (``order.custom.*``,
    as the API's ``POST quotes/<id>/accept`` takes them), as the user may see them."""
    return required_custom_fields("order", "order")


def _accept(quote: Quote) -> Order:
    """Accept the quote with the order's required custom fields as the form gives them;
    nothing is written unless they are all valid."""
    fields = order_fields()
    if not fields:
        return quotes.accept(quote)
    parsed, wrong = parse_form(fields, request.form, creating=True)
    if wrong:
        raise ValidationFailed({"order": wrong})
    return quotes.accept(quote, parsed["custom"])


ACTIONS = {
    "send": Action((f"{QUOTES}.update",), lambda quote: _send(quote), _l("Quote sent.")),
    "accept": Action((f"{QUOTES}.update",), _accept, _l("Quote accepted: the order is made.")),
    "reject": Action((f"{QUOTES}.update",), quotes.reject, _l("Quote rejected.")),
    "revise": Action((f"{QUOTES}.update", f"{QUOTES}.create"), quotes.revise,
                     _l("New version opened.")),
    "approval": Action((f"{QUOTES}.update",), approvals.request_approval,
                       _l("Approval requested from the owner's manager.")),
    "approve": Action((f"{APPROVALS}.update",), lambda quote: _decide(quote, True),
                      _l("Approved: the quote can be sent.")),
    "decline": Action((f"{APPROVALS}.update",), lambda quote: _decide(quote, False),
                      _l("Approval refused.")),
}


def _send(quote: Quote) -> None:
    """Send the quote: e-mailed to the contact the form chose, with the form's message, or
    (no contact chosen) only marked sent."""
    chosen = request.form.get("contact_id", "").strip()
    try:
        contact_id = uuid.UUID(chosen) if chosen else None
    except ValueError:
        raise ValidationFailed({"contact_id": ["Not a valid UUID."]}) from None
    quotes.send(quote, contact_id, request.form.get("message", "").strip() or None)


def _decide(quote: Quote, approved: bool) -> None:
    """The approver's decision on the quote's pending request, with the form's comment; 404
    for anyone else (as the API answers)."""
    approvals.decide_pending(Quote, quote.id, approved,
                             request.form.get("comment", "").strip() or None)


def quote_url(quote: Quote) -> str:
    """The quote's editor."""
    return url_for("sales_pages.quote_page", record_id=quote.id)


def term_fields() -> list[FieldInfo]:
    """The quote's own inputs, labelled."""
    known = {info.name: info for info in schema_fields(QuoteSchema)}
    return [dataclasses.replace(known[name], label=str(TERM_LABELS[name])) for name in TERMS]


def _versions(quote: Quote) -> list[Quote]:
    """The quote's earlier and later versions the user may see, first one first."""
    found = [quote]
    earlier = quote.previous_id
    while earlier is not None and len(found) < MAX_VERSIONS:
        previous = db.session.execute(scoped_select(Quote, QUOTES).where(
            Quote.id == earlier)).scalar_one_or_none()
        if previous is None:
            break
        found.insert(0, previous)
        earlier = previous.previous_id
    later = quote.id
    while later is not None and len(found) < MAX_VERSIONS:
        following = db.session.execute(scoped_select(Quote, QUOTES).where(
            Quote.previous_id == later).order_by(Quote.id).limit(1)).scalar_one_or_none()
        if following is None:
            break
        found.append(following)
        later = following.id
    return found


def _deal_of(quote: Quote) -> Opportunity | None:
    """The quote's deal, if the user may see it."""
    if quote.opportunity_id is None or not can(f"{OPPORTUNITIES}.read"):
        return None
    return db.session.execute(scoped_select(Opportunity, OPPORTUNITIES).where(
        Opportunity.id == quote.opportunity_id)).scalar_one_or_none()


def _order_of(quote: Quote) -> Order | None:
    """The order accepting the quote made, if the user may see orders."""
    if not can(f"{ORDERS}.read"):
        return None
    return db.session.execute(scoped_select(Order, ORDERS).where(
        Order.quote_id == quote.id)).scalar_one_or_none()


def _contract_of(order: Order | None) -> Contract | None:
    """The contract drawn up from the order, if there is one the user may see."""
    if order is None or not can(f"{CONTRACTS}.read"):
        return None
    return db.session.execute(scoped_select(Contract, CONTRACTS).where(
        Contract.order_id == order.id).limit(1)).scalar_one_or_none()


def quote_context(quote: Quote, states: dict[str, dict]) -> dict[str, Any]:
    """What the editor shows; ``states`` reopen refused forms: ``lines``, ``terms`` and
    ``action`` (the errors of a refused button)."""
    draft = quote.status == quotes.DRAFT
    editable = draft and can(f"{QUOTES}.update")
    fields = term_fields()
    terms = {"form": initial_values(fields, quote), "errors": {},
             **states.get("terms", {})}
    rules = approvals.SALES_SETTINGS.current()
    # The order's inputs show their own errors; the rest are listed above the buttons.
    asked = order_fields() if quote.status == quotes.SENT else []
    errors = states.get("action", {}).get("errors", {})
    order = _order_of(quote)
    return {
        "quote": quote, "deal": _deal_of(quote), "order": order,
        "contract": _contract_of(order),
        "account_name": account_names({quote.account_id}).get(quote.account_id, ""),
        "lines": section_view(LINES, quote, url_for("sales_pages.quote_lines_add",
                                                      record_id=quote.id),
                              editable=editable, currency=quote.currency,
                              **states.get("lines", {})),
        "editable": editable, "can_update": can(f"{QUOTES}.update"),
        "can_revise": can(f"{QUOTES}.create"), "fields": fields, "terms": terms,
        "threshold": rules.quote_discount_threshold,
        "approval_reason": approvals.why_needed(quote) if draft else None,
        "approval_status": approvals.status_of(quote),
        "can_decide": approvals.pending_request(Quote, quote.id) is not None,
        "can_contract": can(f"{CONTRACTS}.create"),
        "order_fields": asked,
        "order_errors": errors.get("order", {}),
        "order_form": states.get("action", {}).get("form", {}),
        "action_errors": _unshown(errors, asked),
        "versions": _versions(quote),
        "mail_on": mail_enabled(), "recipients": _recipients(quote) if draft else [],
        "contact_name": _contact_name(quote),
    }


def _contact_name(quote: Quote) -> str | None:
    """The name of the quote's contact, if the user may see them."""
    if quote.contact_id is None:
        return None
    contact = db.session.execute(scoped_select(Contact, "core.contacts", shared=True).where(
        Contact.id == quote.contact_id)).scalar_one_or_none()
    return contact.full_name if contact is not None else None


def _recipients(quote: Quote) -> list[tuple[str, str]]:
    """``(id, "name <address>")`` of the contacts at the quote's account the user may see
    who have an e-mail address (the address left out when the role hides it)."""
    contacts = db.session.execute(
        scoped_select(Contact, "core.contacts", shared=True)
        .where(Contact.account_id == quote.account_id, Contact.email.is_not(None))
        .order_by(Contact.last_name, Contact.id).limit(MAX_RECIPIENTS)).scalars()
    hide = "email" in hidden_fields("contact")
    return [(str(c.id), c.full_name if hide else f"{c.full_name} <{c.email}>")
            for c in contacts]


def _unshown(errors: dict, asked: list[FieldInfo]) -> dict:
    """A refused action's errors that no input of the order shows next to itself (listed
    above the buttons): all but those of the order's custom fields the form asks for; a
    required one the role may not see is said in words (its value stays unseen)."""
    shown = {field.key for field in asked}
    order = errors.get("order", {})
    left = {key: value for key, value in (order.get("custom", {}) if isinstance(order, dict)
                                          else {}).items() if key not in shown}
    others = {key: value for key, value in errors.items() if key != "order"}
    return others | ({"_form": [str(HIDDEN_REQUIRED)]} if left else {})


def render_quote(quote: Quote, states: dict[str, dict] | None = None, status: int = 200):
    """The editor, or only its body for htmx."""
    template = "sales/_quote_body.html" if request.headers.get("HX-Request") else (
        "sales/quote.html")
    return render_template(template, **quote_context(quote, states or {})), status


def _quote(record_id: uuid.UUID, *permissions: str) -> Quote:
    for permission in (f"{QUOTES}.read", *permissions):
        require(permission)
    return get_scoped_or_404(Quote, record_id, QUOTES)


@login_required
def new_quote(record_id: uuid.UUID):
    """A draft quote for the deal (named as the form says, else as the deal), then its
    editor."""
    require(f"{QUOTES}.create")
    deal = get_scoped_or_404(Opportunity, record_id, OPPORTUNITIES)
    name = request.form.get("name", "").strip() or deal.name
    outcome = save_new(spec_for("quotes"), {"name": name, "opportunity_id": str(deal.id)})
    if not outcome.ok:
        return render_deal(deal, {"quotes": {"errors": outcome.errors, "form": request.form}},
                           outcome.status)
    return redirect(quote_url(outcome.value))


@login_required
def quote_page(record_id: uuid.UUID):
    """The quote editor: terms, lines, totals, approval, actions, versions."""
    return render_quote(_quote(record_id))


@login_required
def save_terms(record_id: uuid.UUID):
    """Save the quote's terms (a draft's; the form's version must be current)."""
    quote = _quote(record_id, f"{QUOTES}.update")
    form = request.form
    data, errors = parse_form(term_fields(), form, creating=False)
    outcome = save_changes(spec_for("quotes"), quote, form, data, errors)
    if outcome.ok and not request.headers.get("HX-Request"):
        return redirect(quote_url(quote))
    states = {} if outcome.ok else {"terms": {"form": form, "errors": outcome.errors}}
    return render_quote(quote, states, outcome.status)


def _action_view(bp: Blueprint, name: str, action: Action) -> None:
    """``POST /sales/quotes/<id>/<name>``: run the action, then show the quote (the new
    version after ``revise``) or why it was refused."""

    def view(record_id: uuid.UUID):
        quote = _quote(record_id, *action.permissions)
        outcome: Outcome = attempt(lambda: action.run(quote))
        if not outcome.ok:
            return render_quote(quote, {"action": {"errors": outcome.errors,
                                                   "form": request.form}}, outcome.status)
        flash(str(action.done), "success")
        shown = outcome.value if isinstance(outcome.value, Quote) else quote
        return redirect(quote_url(shown))

    view.__doc__ = f"{name.capitalize()} the quote (the API's ``{name}``)."
    bp.add_url_rule(f"/quotes/<uuid:record_id>/{name}", endpoint=f"quote_{name}",
                    view_func=login_required(view), methods=["POST"])



@login_required
def quote_print(record_id: uuid.UUID):
    """A quote as its customer reads it: letterhead, number, customer, lines, totals, terms."""
    return quote_document.quote_html(_quote(record_id), printing=True)


@login_required
def quote_pdf(record_id: uuid.UUID):
    """The same as a PDF (what the mail carries)."""
    quote = _quote(record_id)
    return Response(quote_document.quote_pdf(quote), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{quote_document.pdf_name(quote)}"'})


def register(bp: Blueprint) -> None:
    """Add the quote editor (a new quote from a deal's page, its terms, actions and lines)
    and the printable quote to ``bp``."""
    bp.add_url_rule("/deals/<uuid:record_id>/quotes", view_func=new_quote, methods=["POST"])
    bp.add_url_rule("/quotes/<uuid:record_id>", view_func=quote_page)
    bp.add_url_rule("/quotes/<uuid:record_id>", view_func=save_terms, methods=["POST"])
    for name, action in ACTIONS.items():
        _action_view(bp, name, action)
    register_row_pages(bp, LINES, "quote", "quotes", render_quote, quote_url)
    bp.add_url_rule("/quotes/<uuid:record_id>/print", view_func=quote_print)
    bp.add_url_rule("/quotes/<uuid:record_id>/pdf", view_func=quote_pdf)
