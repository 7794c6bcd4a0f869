"""``/api/v1/sales/``: ``price-lists`` (+ ``items``), ``quotes`` (+ ``lines`` and the
``send``, ``accept``, ``reject`` and ``revise`` actions), ``orders`` (made by accepting a quote
or entered directly; then only their status and custom fields change) and ``contracts``
(+ ``instalments`` and ``payments``, their payment plan)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Response, url_for

from patron.sdk import (
    PatronBlueprint,
    ResourceSpec,
    get_scoped_or_404,
    register_children,
    register_crud,
    require,
)
from patron_sales.models.commerce import Contract, Order, PriceList, Quote
from patron_sales.permissions import CONTRACTS, ORDERS, PRICE_LISTS, QUOTES
from patron_sales.schemas.commerce import (
    AcceptedQuoteSchema,
    AcceptQuoteSchema,
    ContractSchema,
    OrderSchema,
    PriceListSchema,
    QuoteSchema,
    SendQuoteSchema,
)
from patron_sales.services import (
    contracts,
    orders,
    payments,
    price_lists,
    quote_document,
    quotes,
)

PRICE_LISTS_SPEC = ResourceSpec(
    name="price-lists", model=PriceList, schema=PriceListSchema, permission=PRICE_LISTS,
    event="price_list", filterable=("currency", "active"), searchable=("name",),
    sortable=("name", "currency"), rules=price_lists.PRICE_LIST_RULES,
    delete=price_lists.delete_price_list,
)
QUOTES_SPEC = ResourceSpec(
    name="quotes", model=Quote, schema=QuoteSchema, permission=QUOTES, event="quote",
    filterable=("opportunity_id", "account_id", "status", "currency", "valid_until",
                "owner_id", "created_at"),
    searchable=("name",), sortable=("name", "total", "valid_until", "created_at"),
    create=quotes.create_quote, update=quotes.update_quote, delete=quotes.delete_quote,
)
ORDERS_SPEC = ResourceSpec(
    name="orders", model=Order, schema=OrderSchema, permission=ORDERS, event="order",
    entity="order", filterable=("number", "quote_id", "opportunity_id", "account_id", "status",
                                "currency", "owner_id", "ordered_at"),
    searchable=("number",), sortable=("number", "total", "ordered_at"), rules=orders.ORDER_RULES,
    deletable=False,
)
CONTRACTS_SPEC = ResourceSpec(
    name="contracts", model=Contract, schema=ContractSchema, permission=CONTRACTS,
    event="contract", entity="contract",
    filterable=("account_id", "opportunity_id", "order_id", "status", "currency",
                "renewal_date", "end_date", "owner_id", "created_at"),
    searchable=("name",),
    sortable=("name", "value", "start_date", "end_date", "renewal_date", "created_at"),
    create=contracts.create_contract, update=contracts.update_contract,
)


def _quote(record_id: uuid.UUID) -> Quote:
    require(f"{QUOTES}.update")
    return get_scoped_or_404(Quote, record_id, QUOTES)


def _status_route(blp: PatronBlueprint, action: str, run: Callable[[Quote], None],
                  summary: str) -> None:
    """``POST /quotes/<id>/<action>``: ``run`` changes the quote's status; answers the
    quote."""

    def status_view(record_id: uuid.UUID):
        quote = _quote(record_id)
        run(quote)
        return quote

    # The summary in the OpenAPI document; set before the decorators copy it.
    status_view.__doc__ = summary
    route = blp.route(f"/quotes/<uuid:record_id>/{action}", methods=["POST"],
                      endpoint=f"{action}_quote")
    route(blp.response(200, QuoteSchema)(status_view))


def _quote_actions(blp: PatronBlueprint) -> None:
    """Send, accept, reject and revise a quote."""

    @blp.route("/quotes/<uuid:record_id>/send", methods=["POST"])
    @blp.arguments(SendQuoteSchema, required=False)
    @blp.response(200, QuoteSchema)
    def send_quote(data: dict, record_id: uuid.UUID):
        """Send a draft quote (it then no longer changes): with contact_id, e-mail it to that
        contact with its PDF (422 when no mail server is configured); without, only mark it
        sent"""
        quote = _quote(record_id)
        quotes.send(quote, data.get("contact_id"), data.get("message"))
        return quote

    @blp.route("/quotes/<uuid:record_id>/pdf")
    @blp.response(200, {"format": "binary", "type": "string"}, content_type="application/pdf")
    def quote_pdf(record_id: uuid.UUID):
        """The quote as its customer reads it, a PDF with the tenant's letterhead"""
        require(f"{QUOTES}.read")
        quote = get_scoped_or_404(Quote, record_id, QUOTES)
        return Response(quote_document.quote_pdf(quote), mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{quote_document.pdf_name(quote)}"'})

    @blp.route("/quotes/<uuid:record_id>/accept", methods=["POST"])
    @blp.arguments(AcceptQuoteSchema, required=False)
    @blp.response(201, AcceptedQuoteSchema)
    def accept_quote(data: dict, record_id: uuid.UUID):
        """Record the customer's acceptance of a sent quote; creates the order (or completes
        the one winning its deal made) with the custom values given for it"""
        quote = _quote(record_id)
        order = quotes.accept(quote, (data.get("order") or {}).get("custom"))
        location = url_for("sales.orders_item", record_id=order.id)
        return {"quote": quote, "order": order}, 201, {"Location": location}

    _status_route(blp, "reject", quotes.reject,
                  "Record that the customer turned a sent quote down")

    @blp.route("/quotes/<uuid:record_id>/revise", methods=["POST"])
    @blp.response(201, QuoteSchema)
    def revise_quote(record_id: uuid.UUID):
        """Open the next revision of a sent, rejected or expired quote (a draft with its lines)"""
        require(f"{QUOTES}.create")
        revision = quotes.revise(_quote(record_id))
        return revision, 201, {"Location": url_for("sales.quotes_item", record_id=revision.id)}


def register(blp: PatronBlueprint) -> None:
    """Add price lists (with their items), quotes (with their lines and actions), orders and
    contracts (with their payment plans) to ``blp``."""
    register_crud(blp, PRICE_LISTS_SPEC)
    register_children(blp, price_lists.PRICE_LIST_ITEMS)
    register_crud(blp, QUOTES_SPEC)
    register_children(blp, quotes.QUOTE_LINES)
    register_crud(blp, ORDERS_SPEC)
    _quote_actions(blp)
    register_crud(blp, CONTRACTS_SPEC)
    register_children(blp, payments.INSTALMENTS)
    register_children(blp, payments.PAYMENTS)
