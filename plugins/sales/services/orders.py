"""Orders: entered directly, made when a deal is won, or when a quote is accepted
(:func:`patron_sales.services.quotes.accept`); once made, only an order's status changes.

A deal has at most one order from winning it: accepting a quote of a deal that was won first
completes that order instead of making a second one. Winning a deal (a move on the board)
asks nothing, so its order gets only the defaults of the tenant's custom fields; the required
ones are asked when its quote is accepted, or filled in on the order's page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from patron.sdk import (
    Rules,
    ValidationFailed,
    check_reference,
    db,
    emit,
    tenant_currency,
    utcnow,
)
from patron_sales.models.commerce import Order
from patron_sales.schemas.commerce import OrderSchema


def _check(data: dict, order: Order | None) -> None:
    """A new order's account and deal must be the user's to see, and the deal with that
    account; afterwards only the status and the tenant's custom fields change."""
    if order is not None:
        fixed = sorted(set(data) - {"status", "custom"})
        if fixed:
            raise ValidationFailed({key: ["Set when the order is made."] for key in fixed})
        return
    check_reference("account_id", "account", data["account_id"])
    if data.get("opportunity_id"):
        deal = check_reference("opportunity_id", "opportunity", data["opportunity_id"])
        if deal.account_id != data["account_id"]:
            raise ValidationFailed({"opportunity_id": ["The deal is with another account."]})


def _new_order() -> dict:
    return {"currency": tenant_currency(), "status": "open", "ordered_at": utcnow()}


#: Orders entered directly: the signed-in user's, open, in the tenant's currency unless given.
ORDER_RULES = Rules(Order, check=_check, defaults=_new_order)


def order_of_won_deal(opportunity_id) -> Order | None:
    """The order winning the deal made, if no quote has been accepted for it yet."""
    return db.session.execute(
        select(Order).where(Order.opportunity_id == opportunity_id, Order.quote_id.is_(None))
        .order_by(Order.id).limit(1)
    ).scalar_one_or_none()


def order_for_won_deal(opportunity: Any) -> Order | None:
    """Make the order of a just-won deal unless it already has one (``order.created``)."""
    if db.session.execute(select(exists().where(
            Order.opportunity_id == opportunity.id))).scalar():
        return None
    order = Order(opportunity_id=opportunity.id, account_id=opportunity.account_id,
                  currency=opportunity.currency, total=opportunity.amount,
                  owner_id=opportunity.owner_id, status="open", ordered_at=utcnow())
    db.session.add(order)
    db.session.flush()
    emit("order.created", OrderSchema().dump(order))
    return order
