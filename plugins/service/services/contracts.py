"""Service contracts and warranties: what an account is covered for (all its products, or
one), from when to when, and at which SLA tier (a policy). A new ticket of a covered
customer records the contract that entitles it and follows that contract's policy unless it
names another.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select

from patron.sdk import (
    ValidationFailed,
    check_reference,
    db,
)
from patron_service.models.contracts import ServiceContract
from patron_service.models.sla import SlaPolicy


def _check(contract: ServiceContract) -> None:
    check_reference("account_id", "account", contract.account_id)
    if contract.product_id is not None:
        check_reference("product_id", "product", contract.product_id)
    if contract.sla_policy_id is not None and db.session.execute(
            select(SlaPolicy.id).where(SlaPolicy.id == contract.sla_policy_id)).first() is None:
        raise ValidationFailed({"sla_policy_id": ["No such SLA policy."]})
    if contract.ends_on < contract.starts_on:
        raise ValidationFailed({"ends_on": ["Must not be before starts_on."]})


def create_contract(data: dict) -> ServiceContract:
    """``POST contracts``."""
    contract = ServiceContract(**data)
    _check(contract)
    db.session.add(contract)
    db.session.flush()
    return contract


def update_contract(contract: ServiceContract, data: dict) -> None:
    """``PATCH contracts/<id>``: checked as the contract would be after the change."""
    for key, value in data.items():
        setattr(contract, key, value)
    _check(contract)
    db.session.flush()


def covering_contract(account_id: uuid.UUID | None, product_id: uuid.UUID | None,
                      on: date) -> ServiceContract | None:
    """The contract covering the account (and product) on day ``on``: one for that very
    product before one for all products, the one running longest first."""
    if account_id is None:
        return None
    products = [ServiceContract.product_id.is_(None)]
    if product_id is not None:
        products.append(ServiceContract.product_id == product_id)
    return db.session.execute(
        select(ServiceContract)
        .where(ServiceContract.account_id == account_id, or_(*products),
               ServiceContract.starts_on <= on, ServiceContract.ends_on >= on)
        .order_by(ServiceContract.product_id.is_(None), ServiceContract.ends_on.desc(),
                  ServiceContract.id).limit(1)
    ).scalar_one_or_none()
