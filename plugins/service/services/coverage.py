"""What the pages say about a customer's coverage: the contract (or warranty) that covers a
ticket or an account and product, until when, at which SLA tier — or that none does.

Which contract it is (name, end, tier) is shown to users who may read service contracts;
the others only learn whether the customer is covered, as the API's ``covered`` tells them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from patron.sdk import can, db, readable_record, utcnow
from patron_service.models.contracts import ServiceContract
from patron_service.models.sla import SlaPolicy
from patron_service.models.tickets import Ticket
from patron_service.permissions import CONTRACTS
from patron_service.services.contracts import covering_contract
from patron_service.services.sla import tenant_timezone


@dataclass(frozen=True)
class Coverage:
    """``contract`` covers the customer (``None``: not covered); ``detailed`` says whether
    the user may see which one, ``tier`` is the name of its SLA policy (if it has one and the
    user may see it)."""

    contract: ServiceContract | None
    detailed: bool = False
    tier: str | None = None


def covering_today(account_id: uuid.UUID | None,
                   product_id: uuid.UUID | None) -> ServiceContract | None:
    """The contract covering the account (and product) today, in the tenant's time zone."""
    return covering_contract(account_id, product_id,
                             utcnow().astimezone(tenant_timezone()).date())


def _coverage(contract: ServiceContract | None) -> Coverage:
    if contract is None:
        return Coverage(None)
    if not can(f"{CONTRACTS}.read"):
        return Coverage(contract)
    tier = None if contract.sla_policy_id is None else db.session.execute(
        select(SlaPolicy.name).where(SlaPolicy.id == contract.sla_policy_id)).scalar()
    return Coverage(contract, detailed=True, tier=tier)


def ticket_coverage(ticket: Ticket) -> Coverage:
    """The coverage the ticket was entitled to (recorded when it was opened or when its
    customer or product changed)."""
    if ticket.entitlement_id is None:
        return Coverage(None)
    return _coverage(db.session.execute(
        select(ServiceContract).where(ServiceContract.id == ticket.entitlement_id)
    ).scalar_one_or_none())


def customer_coverage(account_id: uuid.UUID | None,
                      product_id: uuid.UUID | None) -> Coverage | None:
    """Today's coverage of the account (for the product), or ``None`` when there is no such
    account *the user may read*, so nothing is told about the others. A product the user
    cannot read counts as no product."""
    account = readable_record("account", account_id)
    if account is None:
        return None
    product = readable_record("product", product_id)
    return _coverage(covering_today(account.id, product.id if product else None))
