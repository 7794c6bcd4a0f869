"""``/api/v1/service/…`` of the SLA: ``sla-policies``, ``business-hours`` and ``holidays``."""

from __future__ import annotations

from patron.sdk import PatronBlueprint, ResourceSpec, register_crud
from patron_service.models.sla import BusinessHours, Holiday, SlaPolicy
from patron_service.permissions import SLA
from patron_service.schemas.sla import BusinessHoursSchema, HolidaySchema, SlaPolicySchema
from patron_service.services.sla_policies import (
    HOLIDAY_RULES,
    HOURS_RULES,
    POLICY_RULES,
    create_policy,
    update_policy,
)

blp = PatronBlueprint("sla", __name__)

SLA_POLICIES_SPEC = ResourceSpec(
    name="sla-policies", model=SlaPolicy, schema=SlaPolicySchema, permission=SLA,
    event="sla_policy", filterable=("is_default",), searchable=("name",), sortable=("name",),
    create=create_policy, update=update_policy, delete=POLICY_RULES.delete,
)
BUSINESS_HOURS_SPEC = ResourceSpec(
    name="business-hours", model=BusinessHours, schema=BusinessHoursSchema, permission=SLA,
    event="business_hours", filterable=("weekday",), sortable=("weekday", "start_minute"),
    rules=HOURS_RULES,
)
HOLIDAYS_SPEC = ResourceSpec(
    name="holidays", model=Holiday, schema=HolidaySchema, permission=SLA, event="holiday",
    filterable=("day",), searchable=("name",), sortable=("day", "name"),
    rules=HOLIDAY_RULES,
)

for spec in (SLA_POLICIES_SPEC, BUSINESS_HOURS_SPEC, HOLIDAYS_SPEC):
    register_crud(blp, spec)
