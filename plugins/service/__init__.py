"""Service: tickets and complaints, queues and assignment, SLA policies measured in business
hours, technicians, field work orders and their scheduling.

A built-in plugin with no privilege a partner's lacks: found through its ``patron.plugins``
entry point, it declares what it registers in :data:`patron_module` and implements the hooks
of :mod:`patron.plugins.hookspecs` in :mod:`patron_service.hooks`, re-exported here; it uses
the core only through :mod:`patron.sdk` (never another plugin). Its API lives under
``/api/v1/service/`` (../shared/API.md), its tables (``service_*``) in its own Alembic branch
(``service``). Enabling it gives the tenant business hours (Monday to Friday, 09:00–17:00)
and a default SLA policy; while it is disabled the tenant sees none of it.
"""

from __future__ import annotations

from pathlib import Path

from patron.sdk import Entity, ModuleInfo
from patron_service import (  # noqa: F401 - these add their routes to blp and bp
    contracts,
    coverage_page,
    field_api,
    field_models,
    knowledge,
    knowledge_api,
    models,
    reports_api,
    ticket_page,
)
from patron_service.api import blp
from patron_service.contracts import ServiceContract
from patron_service.field_models import Technician, WorkOrder
from patron_service.hooks import (
    patron_module_enabled,
    patron_provide_account_panels,
    patron_provide_menu_items,
    patron_record_actions,
    patron_record_form_panels,
    patron_record_references,
)
from patron_service.jobs import JOBS
from patron_service.knowledge import Article
from patron_service.models import Ticket
from patron_service.permissions import (
    CONTRACTS,
    DEFAULT_ROLES,
    KB,
    MODULE,
    PERMISSIONS,
    TECHNICIANS,
    TICKETS,
    WORK_ORDERS,
)
from patron_service.views import bp as pages

__version__ = "0.1.0"

#: Tickets, work orders, technicians, knowledge-base articles and service contracts take
#: custom fields and are found by search.
ENTITIES = [
    Entity("ticket", "Ticket", Ticket, TICKETS, title="subject",
           searchable=("subject", "description"), module=MODULE),
    Entity("work_order", "Work order", WorkOrder, WORK_ORDERS, title="title",
           searchable=("title", "site_address"), module=MODULE),
    Entity("technician", "Technician", Technician, TECHNICIANS, title="name",
           searchable=("name", "region"), module=MODULE),
    Entity("article", "Knowledge article", Article, KB, title="title",
           searchable=("title", "problem", "solution"), module=MODULE),
    Entity("service_contract", "Service contract", ServiceContract, CONTRACTS,
           searchable=("name",), module=MODULE),
]

patron_module = ModuleInfo(
    name=MODULE,
    label="Service",
    version=__version__,
    description="Tickets, complaints, SLAs, technicians and field work orders.",
    permissions=PERMISSIONS,
    default_roles=DEFAULT_ROLES,
    models=[*models.MODELS, *field_models.MODELS, *knowledge.MODELS, *contracts.MODELS],
    entities=ENTITIES,
    api_blueprints=[blp],
    web_blueprints=[pages],
    migrations=[Path(__file__).resolve().parent / "migrations" / "versions"],
    jobs=JOBS,
)

__all__ = [
    "patron_module",
    "patron_module_enabled",
    "patron_provide_account_panels",
    "patron_provide_menu_items",
    "patron_record_actions",
    "patron_record_form_panels",
    "patron_record_references",
]
