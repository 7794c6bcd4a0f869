"""The module's Settings pages: what each declares (the core renders them at
``/settings/service/…``, from the same specs as the API)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from patron.sdk import SettingsSection
from patron_service.api.sla import BUSINESS_HOURS_SPEC, HOLIDAYS_SPEC, SLA_POLICIES_SPEC
from patron_service.api.tickets import QUEUES_SPEC
from patron_service.permissions import QUEUES, TICKETS
from patron_service.services.settings import SERVICE_SETTINGS

SETTINGS_SECTIONS = [
    SettingsSection("service/settings", _l("Ticket workflow"), settings=SERVICE_SETTINGS,
                    read=f"{TICKETS}.read", update=f"{QUEUES}.update",
                    description=_l("The status a new or assigned ticket moves to with the "
                                   "first public reply; empty: it keeps its status.")),
    SettingsSection("service/queues", _l("Queues"), spec=QUEUES_SPEC,
                    columns=("name", "rule", "lead_id", "channels")),
    SettingsSection("service/sla-policies", _l("SLA policies"), spec=SLA_POLICIES_SPEC,
                    columns=("name", "is_default", "warn_minutes")),
    SettingsSection("service/business-hours", _l("Business hours"), spec=BUSINESS_HOURS_SPEC,
                    columns=("weekday", "start_minute", "end_minute"),
                    week=("weekday", "start_minute", "end_minute"),
                    description=_l("The hours SLA clocks run and new technicians work.")),
    SettingsSection("service/holidays", _l("Holidays"), spec=HOLIDAYS_SPEC,
                    columns=("day", "name"), sort="day",
                    description=_l("Closed days: SLA clocks stop.")),
]
