"""What a work order's printable service report shows: the job, who did it and when, the
parts used with their totals per currency, the labour, the charges and the sign-off."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from patron.sdk import Account, Product, db
from patron_service.models.field_work import PartUsed, Technician, WorkOrder
from patron_service.services.work_orders import parts_of


@dataclass(frozen=True)
class PartLine:
    """A part used, priced."""

    sku: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    currency: str

    @property
    def shown_quantity(self) -> str:
        """The quantity without trailing zeros (``3``, ``2.5``), never in exponent form."""
        return f"{self.quantity.normalize():f}"

    @property
    def total(self) -> Decimal:
        """Quantity times unit price."""
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class ServiceReport:
    """Everything the report prints."""

    order: WorkOrder
    account: str | None
    technicians: list[str]
    parts: list[PartLine]

    @property
    def parts_totals(self) -> dict[str, Decimal]:
        """The parts' total per currency."""
        totals: dict[str, Decimal] = {}
        for line in self.parts:
            totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.total
        return totals


def _names(model: type, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def service_report(order: WorkOrder) -> ServiceReport:
    """The report of ``order`` (a few queries, whatever its size)."""
    account = _names(Account, [order.account_id] if order.account_id else [])
    booked = [uuid.UUID(t) for t in order.technician_ids or []]
    technicians = _names(Technician, booked)
    used: list[PartUsed] = parts_of(order)
    products = {row.id: row for row in db.session.execute(
        select(Product.id, Product.sku, Product.name)
        .where(Product.id.in_([p.product_id for p in used]))).all()} if used else {}
    return ServiceReport(
        order, account.get(order.account_id),
        [technicians[t] for t in booked if t in technicians],
        [PartLine(products[p.product_id].sku, products[p.product_id].name, p.quantity,
                  p.unit_price, p.currency) for p in used])
