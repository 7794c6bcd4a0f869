"""Service contracts and warranties: what an account is covered for (all its products, or
one), from when to when, and at which SLA tier (a policy). A new ticket of a covered
customer records the contract that entitles it and follows that contract's policy unless it
names another.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select

from patron.sdk import Rules, ValidationFailed, check_reference, db, merged
from patron_service.models.contracts import ServiceContract
from patron_service.services.sla_policies import check_policy


def _check(data: dict, contract: ServiceContract | None) -> None:
    """Checked as the contract would be after the change."""
    values = merged(contract, data)
    check_reference("account_id", "account", values["account_id"])
    if values.get("product_id") is not None:
        check_reference("product_id", "product", values["product_id"])
    check_policy(values.get("sla_policy_id"))
    if values["ends_on"] < values["starts_on"]:
        raise ValidationFailed({"ends_on": ["Must not be before starts_on."]})


#: ``POST/PATCH/DELETE contracts``.
CONTRACT_RULES = Rules(ServiceContract, check=_check)


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
