"""Service: tickets and complaints, queues and assignment, SLA policies measured in business
hours, technicians, field work orders and their scheduling.

A built-in plugin with no privilege a partner's lacks: found through its ``patron.plugins``
entry point, it implements the hooks of :mod:`patron.plugins.hookspecs` below and uses only
the core's public modules (never another plugin). Its API lives under ``/api/v1/service/``
(../shared/API.md), its tables (``service_*``) in its own Alembic branch (``service``).
Enabling it gives the tenant business hours (Monday to Friday, 09:00–17:00) and a default
SLA policy; while it is disabled the tenant sees none of it.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask_babel import gettext as _

from patron.sdk import Account, Entity, Job, MenuItem, ModuleInfo, Panel, Permission, User, hookimpl
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
from patron_service.jobs import JOBS
from patron_service.knowledge import Article
from patron_service.models import Ticket
from patron_service.panels import open_tickets_panel
from patron_service.permissions import (
    CONTRACTS,
    DEFAULT_ROLES,
    KB,
    PERMISSIONS,
    REPORTS,
    SCHEDULE_WORK_ORDERS,
    TECHNICIANS,
    TICKETS,
    WORK_ORDERS,
)
from patron_service.record_hooks import (  # noqa: F401 - hooks on the core's records
    patron_record_actions,
    patron_record_form_panels,
    patron_record_references,
)
from patron_service.sla import seed_service_defaults
from patron_service.views import bp as pages

__version__ = "0.1.0"

patron_module = ModuleInfo(
    name="service",
    label="Service",
    version=__version__,
    description="Tickets, complaints, SLAs, technicians and field work orders.",
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations" / "versions"


@hookimpl
def patron_register_permissions() -> list[Permission]:
    """``service.tickets.*``, ``service.queues.*``, ``service.sla.*``,
    ``service.technicians.*``, ``service.work_orders.*`` (with ``schedule``)."""
    return PERMISSIONS


@hookimpl
def patron_register_default_roles() -> dict[str, dict]:
    """Agents work every ticket and dispatch; technicians their own work orders."""
    return DEFAULT_ROLES


@hookimpl
def patron_register_models() -> list[type]:
    """Every table of the module, for the isolation and schema checks."""
    return [*models.MODELS, *field_models.MODELS, *knowledge.MODELS, *contracts.MODELS]


@hookimpl
def patron_register_entities() -> list[Entity]:
    """Tickets, work orders, technicians, knowledge-base articles and service contracts take
    custom fields and are found by search."""
    return [
        Entity("ticket", "Ticket", Ticket, TICKETS, title="subject",
               searchable=("subject", "description"), module="service"),
        Entity("work_order", "Work order", WorkOrder, WORK_ORDERS, title="title",
               searchable=("title", "site_address"), module="service"),
        Entity("technician", "Technician", Technician, TECHNICIANS, title="name",
               searchable=("name", "region"), module="service"),
        Entity("article", "Knowledge article", Article, KB, title="title",
               searchable=("title", "problem", "solution"), module="service"),
        Entity("service_contract", "Service contract", ServiceContract, CONTRACTS,
               searchable=("name",), module="service"),
    ]


@hookimpl
def patron_register_api_blueprints() -> list:
    """The API, mounted by the core at ``/api/v1/service``."""
    return [blp]


@hookimpl
def patron_register_web_blueprints() -> list[Blueprint]:
    """The public support form (``/t/<tenant slug>/support``), the dispatch board and the
    technicians' "my jobs today"."""
    return [pages]


@hookimpl
def patron_register_migrations() -> list[Path]:
    """The module's Alembic branch (``service``)."""
    return [MIGRATIONS]


@hookimpl
def patron_register_jobs() -> list[Job]:
    """The SLA watch, every five minutes per tenant."""
    return JOBS


@hookimpl
def patron_module_enabled(module: str) -> None:
    """Give the tenant business hours and a default SLA policy the first time."""
    if module == patron_module.name:
        seed_service_defaults()


@hookimpl
def patron_provide_menu_items(user: User) -> list[MenuItem]:
    """Tickets, work orders and technicians on the core's record pages; the dispatch board."""
    return [
        MenuItem(_("Tickets"), "records.record_list", f"{TICKETS}.read", order=40,
                 params=(("entity", "ticket"),)),
        MenuItem(_("Work orders"), "records.record_list", f"{WORK_ORDERS}.read", order=41,
                 params=(("entity", "work_order"),)),
        MenuItem(_("Technicians"), "records.record_list", f"{TECHNICIANS}.read", order=42,
                 params=(("entity", "technician"),)),
        MenuItem(_("Dispatch board"), "service_pages.dispatch_board", SCHEDULE_WORK_ORDERS,
                 order=43),
        MenuItem(_("My jobs today"), "service_pages.my_jobs", f"{WORK_ORDERS}.update",
                 order=46),
        MenuItem(_("Service reports"), "service_pages.reports_page", f"{REPORTS}.read",
                 order=47),
        MenuItem(_("Knowledge base"), "records.record_list", f"{KB}.read", order=44,
                 params=(("entity", "article"),)),
        MenuItem(_("Service contracts"), "records.record_list", f"{CONTRACTS}.read",
                 order=45, params=(("entity", "service_contract"),)),
    ]


@hookimpl
def patron_provide_account_panels(account: Account, user: User) -> list[Panel]:
    """The account's open tickets."""
    return [open_tickets_panel(account)]
