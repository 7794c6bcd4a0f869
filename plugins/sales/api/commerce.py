"""``/api/v1/sales/``: ``price-lists`` (+ ``items``), ``quotes`` (+ ``lines`` and the
``send``, ``accept``, ``reject`` and ``revise`` actions), ``orders`` (made by accepting a quote
or entered directly; then only their status changes) and ``contracts`` (+ ``instalments`` and
``payments``, their payment plan)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from sqlalchemy import exists, select

from patron.sdk import (
    Children,
    Conflict,
    Parent,
    ResourceSpec,
    ValidationFailed,
    check_reference,
    db,
    get_scoped_or_404,
    register_children,
    register_crud,
    require,
    tenant_currency,
)
from patron_sales.api import blp
from patron_sales.models.commerce import (
    Contract,
    Order,
    PriceList,
    PriceListItem,
    Quote,
)
from patron_sales.models.deals import Opportunity
from patron_sales.permissions import (
    CONTRACTS,
    ORDERS,
    PRICE_LISTS,
    QUOTES,
)
from patron_sales.schemas.commerce import (
    AcceptedQuoteSchema,
    ContractSchema,
    OrderSchema,
    PriceListItemSchema,
    PriceListSchema,
    QuoteSchema,
)
from patron_sales.services import contracts, orders, payments, quotes

# ---- price lists -----------------------------------------------------------------------------


def _create_price_list(data: dict) -> PriceList:
    price_list = PriceList(**{"currency": tenant_currency(), **data})
    db.session.add(price_list)
    db.session.flush()
    return price_list


def _update_price_list(price_list: PriceList, data: dict) -> None:
    if data.get("currency", price_list.currency) != price_list.currency:
        raise Conflict("a price list keeps its currency; make a new one")
    for key, value in data.items():
        setattr(price_list, key, value)
    db.session.flush()


def _delete_price_list(price_list: PriceList) -> None:
    for model in (Opportunity, Quote):
        if db.session.execute(select(exists().where(
                model.price_list_id == price_list.id))).scalar():
            raise Conflict("deals or quotes use the price list; deactivate it instead")
    db.session.delete(price_list)
    db.session.flush()


def _check_item(price_list: PriceList, data: dict, row: Any) -> None:
    if "product_id" in data and (row is None or data["product_id"] != row.product_id):
        check_reference("product_id", "product", data["product_id"])
        if db.session.execute(select(exists().where(
                PriceListItem.price_list_id == price_list.id,
                PriceListItem.product_id == data["product_id"]))).scalar():
            raise ValidationFailed({"product_id": ["The product already has a price here."]})


register_crud(blp, ResourceSpec(
    name="price-lists", model=PriceList, schema=PriceListSchema, permission=PRICE_LISTS,
    event="price_list", filterable=("currency", "active"), searchable=("name",),
    sortable=("name", "currency"), create=_create_price_list, update=_update_price_list,
    delete=_delete_price_list,
))
register_children(blp, Children(
    Parent("price-lists", PriceList, PRICE_LISTS, "price_list_id"), "items", "price_list_item",
    PriceListItem, PriceListItemSchema, _check_item))

# ---- quotes and orders -----------------------------------------------------------------------

register_crud(blp, ResourceSpec(
    name="quotes", model=Quote, schema=QuoteSchema, permission=QUOTES, event="quote",
    filterable=("opportunity_id", "account_id", "status", "currency", "valid_until",
                "owner_id", "created_at"),
    searchable=("name",), sortable=("name", "total", "valid_until", "created_at"),
    create=quotes.create_quote, update=quotes.update_quote, delete=quotes.delete_quote,
))
register_children(blp, quotes.QUOTE_LINES)
register_crud(blp, ResourceSpec(
    name="orders", model=Order, schema=OrderSchema, permission=ORDERS, event="order",
    filterable=("quote_id", "opportunity_id", "account_id", "status", "currency", "owner_id",
                "ordered_at"),
    sortable=("total", "ordered_at"), create=orders.create_order, update=orders.update_order,
    deletable=False,
))


def _quote(record_id: uuid.UUID) -> Quote:
    require(f"{QUOTES}.update")
    return get_scoped_or_404(Quote, record_id, QUOTES)


@blp.route("/quotes/<uuid:record_id>/send", methods=["POST"])
@blp.response(200, QuoteSchema)
def send_quote(record_id: uuid.UUID):
    """Send a draft quote (it then no longer changes)"""
    quote = _quote(record_id)
    quotes.send(quote)
    return quote


@blp.route("/quotes/<uuid:record_id>/accept", methods=["POST"])
@blp.response(201, AcceptedQuoteSchema)
def accept_quote(record_id: uuid.UUID):
    """Record the customer's acceptance of a sent quote; creates the order"""
    quote = _quote(record_id)
    order = quotes.accept(quote)
    location = url_for("sales.orders_item", record_id=order.id)
    return {"quote": quote, "order": order}, 201, {"Location": location}


@blp.route("/quotes/<uuid:record_id>/reject", methods=["POST"])
@blp.response(200, QuoteSchema)
def reject_quote(record_id: uuid.UUID):
    """Record that the customer turned a sent quote down"""
    quote = _quote(record_id)
    quotes.reject(quote)
    return quote


@blp.route("/quotes/<uuid:record_id>/revise", methods=["POST"])
@blp.response(201, QuoteSchema)
def revise_quote(record_id: uuid.UUID):
    """Open the next revision of a sent, rejected or expired quote (a draft with its lines)"""
    require(f"{QUOTES}.create")
    revision = quotes.revise(_quote(record_id))
    return revision, 201, {"Location": url_for("sales.quotes_item", record_id=revision.id)}


# ---- contracts -------------------------------------------------------------------------------

register_crud(blp, ResourceSpec(
    name="contracts", model=Contract, schema=ContractSchema, permission=CONTRACTS,
    event="contract", entity="contract",
    filterable=("account_id", "opportunity_id", "order_id", "status", "currency",
                "renewal_date", "end_date", "owner_id", "created_at"),
    searchable=("name",),
    sortable=("name", "value", "start_date", "end_date", "renewal_date", "created_at"),
    create=contracts.create_contract, update=contracts.update_contract,
))
register_children(blp, payments.INSTALMENTS)
register_children(blp, payments.PAYMENTS)
