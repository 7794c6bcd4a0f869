"""``/api/v1/service/contracts``: service contracts and warranties."""

from __future__ import annotations

from patron.sdk import PatronBlueprint, ResourceSpec, register_crud
from patron_service.models.contracts import ServiceContract
from patron_service.permissions import CONTRACTS
from patron_service.schemas.contracts import ServiceContractSchema
from patron_service.services.contracts import CONTRACT_RULES

blp = PatronBlueprint("contracts", __name__)

CONTRACTS_SPEC = ResourceSpec(
    name="contracts", model=ServiceContract, schema=ServiceContractSchema,
    permission=CONTRACTS, event="service_contract", entity="service_contract",
    filterable=("kind", "account_id", "product_id", "starts_on", "ends_on", "sla_policy_id"),
    searchable=("name",), sortable=("name", "starts_on", "ends_on"),
    rules=CONTRACT_RULES,
)
register_crud(blp, CONTRACTS_SPEC)
