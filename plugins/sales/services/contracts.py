"""Contracts: value, term, dates and renewal, optionally following an order; the renewal
job announces ``contract.renewal_due`` once per renewal date, ahead of it.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import select

from patron.sdk import (
    User,
    ValidationFailed,
    acting_user_id,
    check_reference,
    db,
    emit,
    merged,
    scoped_select,
    tenant_currency,
    utcnow,
)
from patron_sales.models.commerce import Contract, Order
from patron_sales.permissions import ORDERS
from patron_sales.services.approvals import check_approved, supersede

#: How long before its renewal date a contract is announced as due.
NOTICE_DAYS = 30
ACTIVE = "active"


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (the last day of the month when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _from_order(data: dict) -> None:
    order = db.session.execute(
        scoped_select(Order, ORDERS).where(Order.id == data["order_id"])
    ).scalar_one_or_none()
    if order is None:
        raise ValidationFailed({"order_id": ["No such order."]})
    for key, value in (("account_id", order.account_id),
                       ("opportunity_id", order.opportunity_id),
                       ("value", order.total), ("currency", order.currency)):
        data.setdefault(key, value)


def _complete(data: dict, contract: Contract | None) -> None:
    """Check the contract's references and fill in its end and renewal dates from its terms
    (those given, else the contract's)."""
    if data.get("order_id"):
        _from_order(data)
    terms = merged(contract, data)
    if terms.get("account_id") is None:
        raise ValidationFailed({"account_id": ["Give the account (or the order)."]})
    if "account_id" in data:
        check_reference("account_id", "account", data["account_id"])
    if data.get("opportunity_id"):
        check_reference("opportunity_id", "opportunity", data["opportunity_id"])
    start, end, renewal = terms.get("start_date"), terms.get("end_date"), terms.get("renewal_date")
    if end is None and start and terms.get("term_months"):
        end = data["end_date"] = add_months(start, terms["term_months"]) - timedelta(days=1)
    if renewal is None and end:
        renewal = data["renewal_date"] = end
    if start and end and end < start:
        raise ValidationFailed({"end_date": ["Must not be before start_date."]})
    if contract is not None and renewal != contract.renewal_date:
        data["renewal_notified_at"] = None


def create_contract(data: dict) -> Contract:
    """A new contract of the signed-in user (signed at once only if it needs no approval)."""
    _complete(data, None)
    contract = Contract(owner_id=acting_user_id(), **data)
    if contract.currency is None:
        contract.currency = tenant_currency()
    db.session.add(contract)
    db.session.flush()
    if contract.status == ACTIVE:
        check_approved(contract, "signed")
    return contract


def update_contract(contract: Contract, data: dict) -> None:
    """Change a contract. New terms need any approval again; signing it (``active``) needs
    the approval when its value is above the threshold; a new renewal date is announced
    again."""
    _complete(data, contract)
    signing = data.get("status") == ACTIVE and contract.status != ACTIVE
    new_terms = any(value != getattr(contract, key) for key, value in data.items()
                    if key not in ("status", "renewal_notified_at"))
    for key, value in data.items():
        setattr(contract, key, value)
    db.session.flush()
    if new_terms:
        supersede(contract)
    if signing:
        check_approved(contract, "signed")


def announce_renewals() -> int:
    """Announce the current tenant's active contracts whose renewal date is near."""
    today = utcnow().date()
    due = db.session.execute(
        select(Contract, User.manager_id)
        .outerjoin(User, User.id == Contract.owner_id)
        .where(Contract.status == ACTIVE, Contract.renewal_notified_at.is_(None),
               Contract.renewal_date <= today + timedelta(days=NOTICE_DAYS))
    ).all()
    for contract, manager_id in due:
        contract.renewal_notified_at = utcnow()
        emit("contract.renewal_due", {
            "id": str(contract.id), "name": contract.name,
            "account_id": str(contract.account_id),
            "renewal_date": contract.renewal_date.isoformat(),
            "end_date": contract.end_date.isoformat() if contract.end_date else None,
            "value": str(contract.value), "currency": contract.currency,
            "owner_id": str(contract.owner_id) if contract.owner_id else None,
            "manager_id": str(manager_id) if manager_id else None,
        })
    db.session.flush()
    return len(due)
