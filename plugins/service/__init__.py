"""Service: tickets and complaints, queues and assignment, SLA policies measured in business
hours, technicians, field work orders and their scheduling.

A built-in plugin with no privilege a partner's lacks: found through its ``patron.plugins``
entry point, it declares what it registers in :data:`patron_module` and implements the hooks
of :mod:`patron.plugins.hookspecs` in :mod:`patron_service.hooks`, re-exported here; it uses
the core only through :mod:`patron.sdk` (never another plugin). Its API lives under
``/api/v1/service/`` (docs/API.md), its tables (``service_*``) in its own Alembic branch
(``service``). Enabling it gives the tenant business hours (Monday to Friday, 09:00–17:00)
and a default SLA policy; while it is disabled the tenant sees none of it.

The package is laid out as every Patron module is:

- ``models/``: the tables, one module per area (``tickets``, ``sla``, ``field_work``, ...);
- ``schemas/``: the API's marshmallow schemas, by the same areas;
- ``services/``: the operations (validate, change, flush, emit events; never commit) and the
  queries the API, the pages and the jobs share;
- ``api/``: thin flask-smorest routes (parse, ``require(...)``, call a service, return), one
  blueprint per area nested in ``api.blp``;
- ``pages/``: the web views and their forms, one blueprint per page nested in ``pages.bp``;
- ``jobs.py``, ``hooks.py``, ``permissions.py``: scheduled jobs, hook implementations, and
  the permissions with the default roles' grants;
- ``templates/service/`` and ``migrations/versions/``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from patron.sdk import Entity, Lookup, ModuleInfo
from patron_service import api, pages
from patron_service.hooks import (
    patron_events_emitted,
    patron_module_enabled,
    patron_provide_account_panels,
    patron_provide_home_widgets,
    patron_provide_menu_items,
    patron_record_actions,
    patron_record_form_panels,
    patron_record_references,
)
from patron_service.jobs import JOBS
from patron_service.models import MODELS
from patron_service.models.contracts import ServiceContract
from patron_service.models.field_work import Technician, WorkOrder
from patron_service.models.knowledge import Article
from patron_service.models.sla import SlaPolicy
from patron_service.models.tickets import Queue, Ticket
from patron_service.permissions import (
    CONTRACTS,
    DEFAULT_ROLES,
    KB,
    MODULE,
    PERMISSIONS,
    QUEUES,
    SLA,
    TECHNICIANS,
    TICKETS,
    WORK_ORDERS,
)
from patron_service.schemas.events import EVENTS
from patron_service.schemas.labels import LABELS

__version__ = "0.1.0"

#: Tickets, work orders, technicians, knowledge-base articles and service contracts take
#: custom fields and are found by search.
ENTITIES = [
    # A ticket's links open the ticket page, where replies are written.
    Entity("ticket", _l("Ticket"), Ticket, TICKETS, title="subject",
           searchable=("subject", "description"), module=MODULE,
           page="service_pages.ticket.ticket_page"),
    Entity("work_order", _l("Work order"), WorkOrder, WORK_ORDERS, title="title",
           searchable=("title", "site_address"), module=MODULE),
    Entity("technician", _l("Technician"), Technician, TECHNICIANS, title="name",
           searchable=("name", "region"), module=MODULE),
    Entity("article", _l("Knowledge article"), Article, KB, title="title",
           searchable=("title", "problem", "solution"), module=MODULE),
    Entity("service_contract", _l("Service contract"), ServiceContract, CONTRACTS,
           searchable=("name",), module=MODULE),
]

#: What tickets and contracts refer to besides entities: picked by name on forms.
LOOKUPS = [Lookup("queue", _l("Queue"), Queue, f"{QUEUES}.read"),
           Lookup("sla_policy", _l("SLA policy"), SlaPolicy, f"{SLA}.read")]

patron_module = ModuleInfo(
    name=MODULE,
    label=_l("Service"),
    version=__version__,
    description=_l("Tickets, complaints, SLAs, technicians and field work orders."),
    permissions=PERMISSIONS,
    default_roles=DEFAULT_ROLES,
    events=EVENTS,
    models=MODELS,
    entities=ENTITIES,
    lookups=LOOKUPS,
    settings=api.SETTINGS_SECTIONS,
    labels=LABELS,
    api_blueprints=[api.blp],
    web_blueprints=[pages.bp],
    migrations=[Path(__file__).resolve().parent / "migrations" / "versions"],
    jobs=JOBS,
)

__all__ = [
    "patron_module",
    "patron_events_emitted",
    "patron_module_enabled",
    "patron_provide_account_panels",
    "patron_provide_home_widgets",
    "patron_provide_menu_items",
    "patron_record_actions",
    "patron_record_form_panels",
    "patron_record_references",
]
