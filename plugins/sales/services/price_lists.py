"""Price lists: prices of catalogue products in one currency, which deals and quotes use to
price their lines (:mod:`patron_sales.services.pricing`).

A price list keeps the currency it was made in, holds one price per product, and is not
deleted while a deal or a quote uses it (it is deactivated instead).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from patron.sdk import (
    Children,
    Conflict,
    Parent,
    Rules,
    ValidationFailed,
    check_reference,
    db,
)
from patron_sales.models.commerce import PriceList, PriceListItem, Quote
from patron_sales.models.deals import Opportunity
from patron_sales.permissions import PRICE_LISTS
from patron_sales.schemas.commerce import PriceListItemSchema
from patron_sales.services.pricing import in_tenant_currency


def _keeps_currency(data: dict, price_list: PriceList | None) -> None:
    if price_list is not None and data.get("currency", price_list.currency) != price_list.currency:
        raise Conflict("a price list keeps its currency; make a new one")


#: Create and update of price lists (the tenant's currency unless given).
PRICE_LIST_RULES = Rules(PriceList, check=_keeps_currency, defaults=in_tenant_currency)


def delete_price_list(price_list: PriceList) -> None:
    """Delete a price list no deal or quote uses (409 otherwise: deactivate it instead)."""
    for model in (Opportunity, Quote):
        if db.session.execute(select(exists().where(
                model.price_list_id == price_list.id))).scalar():
            raise Conflict("deals or quotes use the price list; deactivate it instead")
    PRICE_LIST_RULES.delete(price_list)


def _check_item(price_list: PriceList, data: dict, row: Any) -> None:
    if "product_id" in data and (row is None or data["product_id"] != row.product_id):
        check_reference("product_id", "product", data["product_id"])
        if db.session.execute(select(exists().where(
                PriceListItem.price_list_id == price_list.id,
                PriceListItem.product_id == data["product_id"]))).scalar():
            raise ValidationFailed({"product_id": ["The product already has a price here."]})


#: The prices of a price list, one per product.
PRICE_LIST_ITEMS = Children(
    Parent("price-lists", PriceList, PRICE_LISTS, "price_list_id"), "items", "price_list_item",
    PriceListItem, PriceListItemSchema, _check_item)
