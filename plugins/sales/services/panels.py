"""The account 360° panels: the account's open deals and its latest orders, as the viewer
may see them."""

from __future__ import annotations

from sqlalchemy import func

from patron.sdk import Account, Panel, db, hidden_fields, scoped_select
from patron_sales.models.commerce import Order
from patron_sales.models.deals import OPEN, Opportunity, Stage
from patron_sales.permissions import OPPORTUNITIES, ORDERS
from patron_sales.services.reports import amounts_visible

#: Deals (orders) listed in a panel; the rest are one filter away (``?account_id=``).
SHOWN = 5


def open_deals_panel(account: Account) -> Panel:
    """Count, totals per currency and the deals closing soonest, in the viewer's scope (no
    amount or total, not even summed, for a viewer whose role hides the deals' amount)."""
    deals = scoped_select(Opportunity, OPPORTUNITIES).where(
        Opportunity.account_id == account.id, Opportunity.status == OPEN)
    amounts = amounts_visible()
    sums = [func.sum(Opportunity.amount)] if amounts else []
    totals = db.session.execute(
        deals.with_only_columns(Opportunity.currency, func.count(Opportunity.id), *sums,
                                maintain_column_froms=True)
        .group_by(Opportunity.currency).order_by(Opportunity.currency)
    ).all()
    soonest = db.session.execute(
        deals.with_only_columns(Opportunity.id, Opportunity.name, Opportunity.amount,
                                Opportunity.currency, Opportunity.expected_close_date,
                                Stage.name.label("stage"), maintain_column_froms=True)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .order_by(Opportunity.expected_close_date.is_(None),
                  Opportunity.expected_close_date, Opportunity.id)
        .limit(SHOWN)
    ).all()
    data = {"count": sum(row[1] for row in totals)}
    if amounts:
        data["totals"] = [{"currency": currency, "amount": f"{amount:.4f}"}
                          for currency, _, amount in totals]
    data["items"] = [
        {"id": str(row.id), "name": row.name, "stage": row.stage,
         **({"amount": f"{row.amount:.4f}", "currency": row.currency} if amounts else {}),
         "expected_close_date": row.expected_close_date.isoformat()
         if row.expected_close_date else None} for row in soonest]
    return Panel("sales.open_deals", "Open deals", f"{OPPORTUNITIES}.read", data)


def orders_panel(account: Account) -> Panel:
    """The account's latest orders in the viewer's scope, by number (their totals left out
    for a viewer whose role hides an order's total, or the deals' amounts: a won deal's order
    totals its amount)."""
    orders = scoped_select(Order, ORDERS).where(Order.account_id == account.id)
    count = db.session.execute(
        orders.with_only_columns(func.count(Order.id), maintain_column_froms=True)).scalar_one()
    latest = db.session.execute(
        orders.order_by(Order.ordered_at.desc(), Order.id.desc()).limit(SHOWN)).scalars().all()
    totals = amounts_visible() and "total" not in hidden_fields("order")
    data = {"count": count, "items": [
        {"id": str(order.id), "number": order.number, "status": order.status,
         "ordered_at": order.ordered_at.isoformat(),
         **({"total": f"{order.total:.4f}", "currency": order.currency} if totals else {})}
        for order in latest]}
    return Panel("sales.orders", "Orders", f"{ORDERS}.read", data,
                 template="sales/_orders_panel.html")
