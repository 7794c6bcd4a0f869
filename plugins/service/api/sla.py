"""``/api/v1/service/…`` of the SLA: ``sla-policies``, ``business-hours`` and ``holidays``."""

from __future__ import annotations

from patron.sdk import PatronBlueprint, ResourceSpec, ValidationFailed, register_crud
from patron_service.models.sla import BusinessHours, Holiday, SlaPolicy
from patron_service.permissions import SLA
from patron_service.schemas.sla import BusinessHoursSchema, HolidaySchema, SlaPolicySchema
from patron_service.services import sla
from patron_service.services.operations import Checked

blp = PatronBlueprint("sla", __name__)


def _check_period(values: dict) -> None:
    if values["end_minute"] <= values["start_minute"]:
        raise ValidationFailed({"end_minute": ["Must be after start_minute."]})


POLICY_OPS = Checked(SlaPolicy, ("name",), "name", "Another SLA policy has this name.")
HOURS_OPS = Checked(BusinessHours, check=_check_period)
HOLIDAY_OPS = Checked(Holiday, ("day",), "day", "This day is a holiday already.")


def _create_policy(data: dict) -> SlaPolicy:
    policy = POLICY_OPS.create(data)
    sla.make_default(policy)
    return policy


def _update_policy(policy: SlaPolicy, data: dict) -> None:
    """New targets move the due times of the open tickets that follow the policy."""
    POLICY_OPS.update(policy, data)
    sla.make_default(policy)
    if "targets" in data:
        sla.recompute_open_tickets(policy)


SLA_POLICIES_SPEC = ResourceSpec(
    name="sla-policies", model=SlaPolicy, schema=SlaPolicySchema, permission=SLA,
    event="sla_policy", filterable=("is_default",), searchable=("name",), sortable=("name",),
    create=_create_policy, update=_update_policy, delete=sla.delete_policy,
)
BUSINESS_HOURS_SPEC = ResourceSpec(
    name="business-hours", model=BusinessHours, schema=BusinessHoursSchema, permission=SLA,
    event="business_hours", filterable=("weekday",), sortable=("weekday", "start_minute"),
    create=HOURS_OPS.create, update=HOURS_OPS.update,
)
HOLIDAYS_SPEC = ResourceSpec(
    name="holidays", model=Holiday, schema=HolidaySchema, permission=SLA, event="holiday",
    filterable=("day",), searchable=("name",), sortable=("day", "name"),
    create=HOLIDAY_OPS.create, update=HOLIDAY_OPS.update,
)

for spec in (SLA_POLICIES_SPEC, BUSINESS_HOURS_SPEC, HOLIDAYS_SPEC):
    register_crud(blp, spec)
