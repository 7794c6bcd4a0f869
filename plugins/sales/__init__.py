"""Sales: leads, pipelines and stages, opportunities, price lists, quotes, orders, contracts,
the forecast and the funnel.

A built-in plugin with no privilege a partner's lacks: found through its ``patron.plugins``
entry point, it declares what it registers in ``patron_module`` below, implements the hooks
that need code in :mod:`patron_sales.hooks`, and uses only :mod:`patron.sdk`. Its API lives
under ``/api/v1/sales/`` (docs/API.md), its tables (``sales_*``) in its own Alembic
branch (``sales``). Enabling it seeds the tenant's default pipeline (the classic funnel);
while it is disabled the tenant sees none of it.

Layout (the convention of every Patron module, as the plugin guide describes it):

- ``models/``: the tables, one module per area (``deals``, ``leads``, ``commerce``, ...);
- ``schemas/``: the marshmallow schemas of the API, which also dump the events' payloads;
- ``services/``: the operations — validate, change, flush, emit; never commit (the request
  or the job does) — and the reads several interfaces share (reports, the board, the panel);
- ``api/``: thin flask-smorest routes — parse, ``require(...)``, call a service, return;
  each module adds its routes (``register(blp)``) to the blueprint ``api/__init__.py`` builds;
- ``pages/``: the web views, their forms and the reads only a page needs; each module adds
  its views (``register(bp)``) to a blueprint ``pages/__init__.py`` builds;
- ``jobs.py`` (scheduled jobs), ``hooks.py`` (hook implementations), ``permissions.py``
  (permission names and the default roles' grants), ``templates/``, ``migrations/``.

Each layer imports only from those below it: hooks and jobs, then api and pages, then
services, schemas, models and permissions (an import-linter contract in pyproject.toml checks
it).
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from patron.sdk import Entity, Lookup, ModuleInfo, share_records
from patron_sales import api, pages
from patron_sales.hooks import (
    MODULE,
    patron_events_emitted,
    patron_module_enabled,
    patron_provide_account_panels,
    patron_provide_home_widgets,
    patron_provide_menu_items,
    patron_record_actions,
    patron_record_references,
)
from patron_sales.jobs import JOBS
from patron_sales.models import approvals, commerce, deals, leads, pool, reporting
from patron_sales.permissions import (
    CONTRACTS,
    DEFAULT_ROLES,
    LEADS,
    OPPORTUNITIES,
    ORDERS,
    PERMISSIONS,
    PIPELINES,
    PRICE_LISTS,
)
from patron_sales.schemas.events import EVENTS
from patron_sales.schemas.labels import LABELS
from patron_sales.services.sharing import on_the_team

__version__ = "0.1.0"

__all__ = [
    "patron_module",
    "patron_events_emitted",
    "patron_module_enabled",
    "patron_provide_account_panels",
    "patron_provide_home_widgets",
    "patron_provide_menu_items",
    "patron_record_actions",
    "patron_record_references",
]

patron_module = ModuleInfo(
    name=MODULE,
    label=_l("Sales"),
    version=__version__,
    description=_l("Leads, pipelines, opportunities, quotes, orders, contracts, forecast."),
    # Reps work their own leads and deals, managers their department tree's.
    permissions=PERMISSIONS,
    default_roles=DEFAULT_ROLES,
    events=EVENTS,
    models=[*deals.MODELS, *leads.MODELS, *reporting.MODELS, *commerce.MODELS,
            *approvals.MODELS, *pool.MODELS],
    # Leads, opportunities and contracts take custom fields and are found by global search.
    entities=[
        Entity("lead", _l("Lead"), leads.Lead, LEADS, title="full_name",
               searchable=("first_name", "last_name", "company", "email"), module=MODULE,
               match_on=("email",)),
        # A deal's links open the deal page (quotes, lines, roles, the stage path).
        Entity("opportunity", _l("Opportunity"), deals.Opportunity, OPPORTUNITIES, title="name",
               searchable=("name", "next_step"), module=MODULE, page="sales_pages.deal_page"),
        Entity("contract", _l("Contract"), commerce.Contract, CONTRACTS, title="name",
               searchable=("name",), module=MODULE),
        Entity("order", _l("Order"), commerce.Order, ORDERS, title="number",
               searchable=("number",), module=MODULE, match_on=("number",)),
    ],
    # Deals refer to these; forms pick them by name.
    lookups=[Lookup("pipeline", _l("Pipeline"), deals.Pipeline, f"{PIPELINES}.read"),
             Lookup("stage", _l("Stage"), deals.Stage, f"{PIPELINES}.read",
                    narrowed_by="pipeline_id", order_by="position"),
             Lookup("price_list", _l("Price list"), commerce.PriceList, f"{PRICE_LISTS}.read")],
    settings=api.SETTINGS_SECTIONS,
    labels=LABELS,
    api_blueprints=[api.blp],
    web_blueprints=pages.BLUEPRINTS,
    migrations=[Path(__file__).resolve().parent / "migrations" / "versions"],
    jobs=JOBS,
)

# A deal's team members read it, besides those whose scope covers its owner. The core keeps
# such conditions per model; this is the one place the module hands its condition over.
share_records(deals.Opportunity, on_the_team)
