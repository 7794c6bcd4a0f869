"""What SLAs are measured against, as a tenant admin sets it up: policies (one of them the
default), business hours and holidays — and what a tenant starts with when it enables the
module.

New targets of a policy move the due times of its open tickets
(:func:`~patron_service.services.sla.recompute_open_tickets`); a deleted policy leaves its
tickets and contracts to the default one.
"""

from __future__ import annotations

import uuid

from flask_babel import force_locale, gettext
from sqlalchemy import select, update

from patron.sdk import Rules, Unique, ValidationFailed, current_tenant, db, merged
from patron_service.models.contracts import ServiceContract
from patron_service.models.sla import BusinessHours, Holiday, SlaPolicy
from patron_service.models.tickets import Ticket
from patron_service.services.sla import recompute_open_tickets

#: What a tenant starts with when it enables the module: Monday to Friday, 09:00 to 17:00.
DEFAULT_HOURS = [(weekday, 9 * 60, 17 * 60) for weekday in range(5)]
#: The default policy's targets per priority, in business minutes: (first response,
#: resolution).
DEFAULT_TARGETS = {"urgent": (30, 4 * 60), "high": (60, 8 * 60), "normal": (4 * 60, 24 * 60),
                   "low": (8 * 60, 40 * 60)}


def seed_service_defaults() -> None:
    """Business hours and a default SLA policy, for a tenant that has none yet."""
    if db.session.execute(select(BusinessHours.id).limit(1)).first() is None:
        db.session.add_all(BusinessHours(weekday=day, start_minute=start, end_minute=end)
                           for day, start, end in DEFAULT_HOURS)
    if db.session.execute(select(SlaPolicy.id).limit(1)).first() is None:
        with force_locale(current_tenant().locale):  # seeded in the tenant's language
            name = gettext("Standard")
        db.session.add(SlaPolicy(name=name, is_default=True, targets={
            priority: {"first_response_minutes": first, "resolution_minutes": resolution}
            for priority, (first, resolution) in DEFAULT_TARGETS.items()}))
    db.session.flush()


def check_policy(policy_id: uuid.UUID | None) -> None:
    """422 on ``sla_policy_id`` when ``policy_id`` names no policy of the tenant."""
    if policy_id is not None and db.session.execute(
            select(SlaPolicy.id).where(SlaPolicy.id == policy_id)).first() is None:
        raise ValidationFailed({"sla_policy_id": ["No such SLA policy."]})


def _make_default(policy: SlaPolicy) -> None:
    """Let ``policy`` be the only default one, when it says it is."""
    if policy.is_default:
        for other in db.session.execute(select(SlaPolicy).where(
                SlaPolicy.is_default.is_(True), SlaPolicy.id != policy.id)).scalars():
            other.is_default = False
        db.session.flush()


def _release(policy: SlaPolicy) -> None:
    """Its tickets keep their due times and fall back to the default, as do the contracts
    that named it as their tier."""
    for model in (Ticket, ServiceContract):
        db.session.execute(update(model).where(model.sla_policy_id == policy.id)
                           .values(sla_policy_id=None))


POLICY_RULES = Rules(SlaPolicy, unique=(Unique(("name",), "name",
                                               "Another SLA policy has this name."),),
                     before_delete=_release)


def create_policy(data: dict) -> SlaPolicy:
    """``POST sla-policies``: a new default policy takes over from the old one."""
    policy = POLICY_RULES.create(data)
    db.session.flush()
    _make_default(policy)
    return policy


def update_policy(policy: SlaPolicy, data: dict) -> None:
    """``PATCH sla-policies/<id>``: new targets move the due times of the open tickets that
    follow the policy."""
    POLICY_RULES.update(policy, data)
    _make_default(policy)
    if "targets" in data:
        recompute_open_tickets(policy)


def _check_period(data: dict, hours: BusinessHours | None) -> None:
    values = merged(hours, data)
    if values["end_minute"] <= values["start_minute"]:
        raise ValidationFailed({"end_minute": ["Must be after start_minute."]})


HOURS_RULES = Rules(BusinessHours, check=_check_period)
HOLIDAY_RULES = Rules(Holiday, unique=(Unique(("day",), "day",
                                              "This day is a holiday already."),))
