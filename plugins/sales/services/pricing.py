"""What a product costs on a deal or a quote: its price-list price, else its list price."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from patron.sdk import ValidationFailed, check_reference, db, merged, tenant_currency
from patron_sales.models.commerce import PriceList, PriceListItem

#: Four decimal places, as amounts are stored.
PLACES = Decimal("0.0001")


def in_tenant_currency() -> dict:
    """The defaults of a new record priced in the tenant's currency (unless given)."""
    return {"currency": tenant_currency()}


def line_amount(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """Quantity × unit price less the discount, rounded half up to four places."""
    gross = Decimal(quantity) * Decimal(unit_price)
    return (gross * (100 - Decimal(discount_percent)) / 100).quantize(PLACES, ROUND_HALF_UP)


def check_price_list(price_list_id: uuid.UUID | None, currency: str | None) -> None:
    """422 on ``price_list_id`` unless it names an active price list in ``currency``."""
    if price_list_id is None:
        return
    price_list = db.session.execute(
        select(PriceList).where(PriceList.id == price_list_id)
    ).scalar_one_or_none()
    if price_list is None or not price_list.active:
        raise ValidationFailed({"price_list_id": ["No such active price list."]})
    if currency is not None and price_list.currency != currency:
        raise ValidationFailed({"price_list_id": [
            f"The price list is in {price_list.currency}, not {currency}."]})


def unit_price(product: Any, price_list_id: uuid.UUID | None, currency: str) -> Decimal:
    """The product's price in the price list, else its list price if in ``currency``;
    422 on ``unit_price`` when neither applies (the caller must give one)."""
    if price_list_id is not None:
        listed = db.session.execute(
            select(PriceListItem.unit_price).where(PriceListItem.price_list_id == price_list_id,
                                                   PriceListItem.product_id == product.id)
        ).scalar_one_or_none()
        if listed is not None:
            return listed
    if product.currency != currency:
        raise ValidationFailed({"unit_price": [
            f"The product is priced in {product.currency}, this in {currency}: give the "
            "unit price."]})
    return product.list_price


def complete_line(data: dict, row: Any, price_list_id: uuid.UUID | None,
                  currency: str) -> None:
    """Check a product line's product, default its unit price and compute its amount."""
    line = merged(row, data)
    product = check_reference("product_id", "product", line.get("product_id"))
    if "unit_price" not in data and (row is None or "product_id" in data):
        data["unit_price"] = line["unit_price"] = unit_price(product, price_list_id, currency)
    data["amount"] = line_amount(line.get("quantity"), line.get("unit_price"),
                                 line.get("discount_percent") or Decimal(0))


def total_of(line_model: type, parent_column, parent_id: uuid.UUID) -> Decimal | None:
    """The sum of the lines' amounts (``None`` when there are none), in SQL."""
    count, total = db.session.execute(
        select(func.count(line_model.id), func.sum(line_model.amount))
        .where(parent_column == parent_id)
    ).one()
    return Decimal(total).quantize(PLACES) if count else None
