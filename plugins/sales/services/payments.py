"""Payment plans of contracts: scheduled instalments and received payments.

After every change to either, the payments are allocated to the instalments in due order
(Decimal), so each instalment knows how much of it is received. The overdue job flags, once,
instalments past due and not fully received, with ``contract.payment_overdue`` naming the
owner and the owner's manager; a fully received instalment loses its flag.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from patron.sdk import Children, Parent, User, db, emit, utcnow
from patron_sales.models.commerce import Contract, Instalment, Payment
from patron_sales.permissions import CONTRACTS
from patron_sales.schemas.commerce import InstalmentSchema, PaymentSchema
from patron_sales.services.pricing import total_of


def allocate(contract: Contract) -> None:
    """Spread the contract's payments over its instalments, oldest due first."""
    left = total_of(Payment, Payment.contract_id, contract.id) or Decimal(0)
    instalments = db.session.execute(
        select(Instalment).where(Instalment.contract_id == contract.id)
        .order_by(Instalment.due_date, Instalment.id)
    ).scalars()
    for instalment in instalments:
        covered = min(Decimal(instalment.amount), left)
        left -= covered
        if instalment.received_amount != covered:
            instalment.received_amount = covered
        if covered == instalment.amount and instalment.overdue_at is not None:
            instalment.overdue_at = None
    db.session.flush()


def flag_overdue_instalments() -> int:
    """Flag the current tenant's newly overdue instalments; returns how many."""
    today = utcnow().date()
    overdue = db.session.execute(
        select(Instalment, Contract, User.manager_id)
        .join(Contract, Contract.id == Instalment.contract_id)
        .outerjoin(User, User.id == Contract.owner_id)
        .where(Instalment.due_date < today, Instalment.overdue_at.is_(None),
               Instalment.received_amount < Instalment.amount)
    ).all()
    for instalment, contract, manager_id in overdue:
        instalment.overdue_at = utcnow()
        emit("contract.payment_overdue", {
            "id": str(contract.id), "name": contract.name,
            "instalment_id": str(instalment.id), "due_date": instalment.due_date.isoformat(),
            "amount": str(instalment.amount), "received": str(instalment.received_amount),
            "currency": contract.currency,
            "owner_id": str(contract.owner_id) if contract.owner_id else None,
            "manager_id": str(manager_id) if manager_id else None,
        })
    db.session.flush()
    return len(overdue)


def _nothing_to_check(contract: Contract, data: dict, row: Any) -> None:
    return None


CONTRACT = Parent("contracts", Contract, CONTRACTS, "contract_id")
INSTALMENTS = Children(CONTRACT, "instalments", "instalment", Instalment, InstalmentSchema,
                       _nothing_to_check, after=allocate, order_by="due_date")
PAYMENTS = Children(CONTRACT, "payments", "payment", Payment, PaymentSchema,
                    _nothing_to_check, after=allocate, order_by="received_on")
