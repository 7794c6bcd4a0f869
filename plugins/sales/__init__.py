"""Sales: leads, pipelines and stages, opportunities, price lists, quotes, orders, contracts,
the forecast and the funnel.

A built-in plugin with no privilege a partner's lacks: found through its ``patron.plugins``
entry point, it implements the hooks of :mod:`patron.plugins.hookspecs` below and uses only
the core's public modules. Its API lives under ``/api/v1/sales/`` (../shared/API.md), its
tables (``sales_*``) in its own Alembic branch (``sales``). Enabling it seeds the tenant's
default pipeline (the classic funnel); while it is disabled the tenant sees none of it.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask_babel import gettext as _

from patron.sdk import (
    OWN,
    Account,
    Entity,
    Job,
    MenuItem,
    ModuleInfo,
    Panel,
    Permission,
    User,
    hookimpl,
    label,
    scope_for,
)
from patron_sales.api import approvals as approvals_api
from patron_sales.api import blp
from patron_sales.api import commerce as commerce_api
from patron_sales.api import deals as deals_api
from patron_sales.api import pool as pool_api
from patron_sales.api import reports as reports_api
from patron_sales.hooks import (  # noqa: F401 - hooks on the core's records
    patron_record_actions,
    patron_record_references,
)
from patron_sales.jobs import JOBS
from patron_sales.models import approvals as approvals_models
from patron_sales.models import commerce as commerce_models
from patron_sales.models import deals as models
from patron_sales.models import leads as leads_models
from patron_sales.models import pool as pool_models
from patron_sales.models import reporting as reporting_models
from patron_sales.models.commerce import Contract
from patron_sales.models.deals import Opportunity
from patron_sales.models.leads import Lead
from patron_sales.pages import conversion as pages_conversion
from patron_sales.pages import day as pages_day
from patron_sales.pages import deal as pages_deal
from patron_sales.pages import forecast as pages_forecast
from patron_sales.pages import quote as pages_quote
from patron_sales.pages.board import bp as pages
from patron_sales.permissions import (
    CONTRACTS,
    DEFAULT_ROLES,
    FORECAST,
    LEADS,
    OPPORTUNITIES,
    PERMISSIONS,
)
from patron_sales.services import sharing
from patron_sales.services.panels import open_deals_panel
from patron_sales.services.pipelines import seed_default_pipeline

__version__ = "0.1.0"

patron_module = ModuleInfo(
    name="sales",
    label="Sales",
    version=__version__,
    description="Leads, pipelines, opportunities, quotes, orders, contracts, forecast.",
)

#: Modules that add their routes to :data:`blp` when imported.
ROUTES = (deals_api, approvals_api, commerce_api, pool_api, reports_api)
#: Modules that add their pages to the pages blueprint when imported.
PAGES = (pages_deal, pages_quote)
#: Registers the deal team's read access with the core when imported.
SHARING = sharing

MIGRATIONS = Path(__file__).resolve().parent / "migrations" / "versions"


@hookimpl
def patron_register_permissions() -> list[Permission]:
    """``sales.leads.*`` (with ``convert``), ``sales.opportunities.*``,
    ``sales.pipelines.*``, ``sales.forecast.read`` and ``sales.funnel.read``."""
    return PERMISSIONS


@hookimpl
def patron_register_default_roles() -> dict[str, dict]:
    """Reps work their own leads and deals, managers their department tree's."""
    return DEFAULT_ROLES


@hookimpl
def patron_register_models() -> list[type]:
    """Every table of the module, for the isolation and schema checks."""
    return [*models.MODELS, *leads_models.MODELS, *reporting_models.MODELS,
            *commerce_models.MODELS, *approvals_models.MODELS, *pool_models.MODELS]


@hookimpl
def patron_register_entities() -> list[Entity]:
    """Leads and opportunities take custom fields and are found by global search."""
    return [
        Entity("lead", "Lead", Lead, LEADS, title="full_name",
               searchable=("first_name", "last_name", "company", "email"), module="sales",
               match_on=("email",)),
        Entity("opportunity", "Opportunity", Opportunity, OPPORTUNITIES, title="name",
               searchable=("name", "next_step"), module="sales"),
        Entity("contract", "Contract", Contract, CONTRACTS, title="name",
               searchable=("name",), module="sales"),
    ]


@hookimpl
def patron_register_api_blueprints() -> list:
    """The API, mounted by the core at ``/api/v1/sales``."""
    return [blp]


@hookimpl
def patron_register_web_blueprints() -> list[Blueprint]:
    """The pipeline board, the deal pages, the lead conversion dialog, the forecast, a rep's
    day and the team dashboard, under ``/sales/``."""
    return [pages, pages_conversion.bp, pages_forecast.bp, pages_day.bp]


@hookimpl
def patron_register_migrations() -> list[Path]:
    """The module's Alembic branch (``sales``)."""
    return [MIGRATIONS]


@hookimpl
def patron_register_jobs() -> list[Job]:
    """Stalled deals, quotes running out, contracts due for renewal, overdue instalments and
    the team summaries mailed to managers: hourly, per tenant."""
    return JOBS


@hookimpl
def patron_module_enabled(module: str) -> None:
    """Give the tenant its default pipeline the first time it enables the module."""
    if module == patron_module.name:
        seed_default_pipeline()


@hookimpl
def patron_provide_menu_items(user: User) -> list[MenuItem]:
    """Leads and opportunities (on the core's record pages), the board, "My day", the
    forecast, and the team dashboard for those whose scope covers more than their own deals."""
    team = ([MenuItem(_("Team"), "sales_day.team_dashboard", f"{OPPORTUNITIES}.read",
                      order=35)] if scope_for(OPPORTUNITIES) != OWN else [])
    return [
        MenuItem(_("My day"), "sales_day.my_day", f"{OPPORTUNITIES}.read", order=29),
        MenuItem(_("Forecast"), "sales_forecast.forecast_page", f"{FORECAST}.read",
                 order=34),
        *team,
        MenuItem(label("leads"), "records.record_list", f"{LEADS}.read", order=30,
                 params=(("entity", "lead"),)),
        MenuItem("Pipeline board", "sales_pages.pipeline_board",
                 f"{OPPORTUNITIES}.read", order=32),
        MenuItem(label("opportunities"), "records.record_list", f"{OPPORTUNITIES}.read",
                 order=31, params=(("entity", "opportunity"),)),
    ]


@hookimpl
def patron_provide_account_panels(account: Account, user: User) -> list[Panel]:
    """The account's open deals."""
    return [open_deals_panel(account)]
