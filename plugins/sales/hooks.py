"""The module's hook implementations that need code (what it registers is declared in
``patron_module``): the default pipeline when a tenant switches the module on, the menu
entries, the account 360° panel, and what the module adds to the core's records — the
references that keep an account, contact or product from being deleted, and the buttons on
their pages ("New deal" on an account, "Convert" on a lead).

The plugin manager finds them on the package (:mod:`patron_sales` re-exports them).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from patron.sdk import (
    OWN,
    Account,
    DomainEvent,
    MenuItem,
    Panel,
    RecordAction,
    Reference,
    Referrer,
    User,
    Widget,
    acting_user_id,
    can,
    count_references,
    handle_by_name,
    hookimpl,
    scope_for,
)
from patron_sales.models.commerce import Contract, Order, PriceListItem, Quote, QuoteLine
from patron_sales.models.deals import Opportunity, OpportunityContact, OpportunityLine
from patron_sales.models.leads import Lead
from patron_sales.pages.widgets import sales_widgets
from patron_sales.permissions import (
    CLAIM_POOL,
    CONTRACTS,
    CONVERT_LEADS,
    FORECAST,
    LEADS,
    MANAGE_POOL,
    OPPORTUNITIES,
    ORDERS,
    READ_POOL,
)
from patron_sales.services.notices import NOTICES
from patron_sales.services.panels import open_deals_panel, orders_panel
from patron_sales.services.pipelines import seed_default_pipeline

#: The module's name: what tenants enable (and the prefix of its permissions and tables).
MODULE = "sales"


@hookimpl
def patron_module_enabled(module: str) -> None:
    """Give the tenant its default pipeline the first time it enables the module."""
    if module == MODULE:
        seed_default_pipeline()


@hookimpl
def patron_provide_menu_items(user: User) -> list[MenuItem]:
    """Under "Sales": leads, opportunities and contracts (on the core's record pages), the
    board, "My day", the forecast, and the team dashboard for those whose scope covers more
    than their own deals."""
    group = _("Sales")
    team = ([MenuItem(_("Team"), "sales_day.team_dashboard", f"{OPPORTUNITIES}.read",
                      order=35, group=group, icon="people")]
            if scope_for(OPPORTUNITIES) != OWN else [])
    return [
        MenuItem(_("My day"), "sales_day.my_day", f"{OPPORTUNITIES}.read", order=29,
                 group=group, icon="sun"),
        MenuItem(_("Forecast"), "sales_forecast.forecast_page", f"{FORECAST}.read",
                 order=34, group=group, icon="graph-up"),
        *team,
        MenuItem(_("Leads"), "records.record_list", f"{LEADS}.read", order=30,
                 params=(("entity", "lead"),), group=group, icon="person-plus"),
        MenuItem(_("Pipeline board"), "sales_pages.pipeline_board",
                 f"{OPPORTUNITIES}.read", order=32, group=group, icon="kanban"),
        MenuItem(_("Opportunities"), "records.record_list", f"{OPPORTUNITIES}.read",
                 order=31, params=(("entity", "opportunity"),), group=group, icon="trophy"),
        MenuItem(_("Orders"), "records.record_list", f"{ORDERS}.read", order=33,
                 params=(("entity", "order"),), group=group, icon="bag-check"),
        MenuItem(_("Contracts"), "records.record_list", f"{CONTRACTS}.read", order=33,
                 params=(("entity", "contract"),), group=group, icon="file-earmark-check"),
        MenuItem(_("Customer pool"), "sales_pages.pool_page", READ_POOL, order=36,
                 group=group, icon="inbox"),
    ]


@hookimpl
def patron_events_emitted(events: list[DomainEvent]) -> None:
    """Tell the approver, the rep or the owner what concerns them (notifications)."""
    handle_by_name(events, NOTICES)


@hookimpl
def patron_provide_home_widgets(user: User) -> list[Widget]:
    """Approvals waiting for the user, their open deals by stage, stalled deals, this
    month's quota, and a manager's team."""
    return sales_widgets(user)


@hookimpl
def patron_provide_account_panels(account: Account, user: User) -> list[Panel]:
    """The account's open deals and its latest orders."""
    return [open_deals_panel(account), orders_panel(account)]


# ---- the core's records ----------------------------------------------------------------------


def _leads(n: int) -> str:
    return ngettext("%(num)d lead", "%(num)d leads", n)


def _opportunities(n: int) -> str:
    return ngettext("%(num)d opportunity", "%(num)d opportunities", n)


def _quotes(n: int) -> str:
    return ngettext("%(num)d quote", "%(num)d quotes", n)


def _orders(n: int) -> str:
    return ngettext("%(num)d order", "%(num)d orders", n)


def _contracts(n: int) -> str:
    return ngettext("%(num)d contract", "%(num)d contracts", n)


def _deal_contacts(n: int) -> str:
    return ngettext("%(num)d opportunity contact role", "%(num)d opportunity contact roles", n)


def _deal_lines(n: int) -> str:
    return ngettext("%(num)d opportunity product line", "%(num)d opportunity product lines", n)


def _quote_lines(n: int) -> str:
    return ngettext("%(num)d quote line", "%(num)d quote lines", n)


def _price_list_items(n: int) -> str:
    return ngettext("%(num)d price list entry", "%(num)d price list entries", n)


#: Every column of the module that refers to a core record without cascading.
REFERRERS: dict[str, tuple[Referrer, ...]] = {
    "account": (
        Referrer(Opportunity.account_id, _opportunities),
        Referrer(Quote.account_id, _quotes),
        Referrer(Order.account_id, _orders),
        Referrer(Contract.account_id, _contracts),
        Referrer(Lead.account_id, _leads),
    ),
    "contact": (
        Referrer(OpportunityContact.contact_id, _deal_contacts),
        Referrer(Lead.contact_id, _leads),
    ),
    "product": (
        Referrer(OpportunityLine.product_id, _deal_lines),
        Referrer(QuoteLine.product_id, _quote_lines),
        Referrer(PriceListItem.product_id, _price_list_items),
    ),
}


@hookimpl
def patron_record_references(entity: str, record_id: uuid.UUID) -> list[Reference]:
    """Deals, quotes, orders, contracts and leads of an account; deal roles and leads of a
    contact; deal lines, quote lines and price lists of a product."""
    return count_references(record_id, REFERRERS.get(entity, ()))


@hookimpl
def patron_record_actions(entity: str, record: Any) -> list[RecordAction]:
    """"New deal" on an account (and "Give back to the pool" for its owner or a pool
    manager); "Convert" on a lead not converted yet; on an opportunity, its deal page (quotes,
    lines, buying roles, competitors, team)."""
    if entity == "opportunity":
        return [RecordAction(_("Open the deal page"), url_for(
            "sales_pages.deal_page", record_id=record.id), f"{OPPORTUNITIES}.read")]
    if entity == "account":
        actions = [RecordAction(_("New deal"), url_for(
            "records.record_create", entity="opportunity", account_id=record.id),
            f"{OPPORTUNITIES}.create")]
        if record.owner_id is not None and (
                can(MANAGE_POOL) or record.owner_id == acting_user_id()):
            actions.append(RecordAction(_("Give back to the pool"), url_for(
                "sales_pages.release_to_pool", account_id=record.id), CLAIM_POOL))
        return actions
    if entity == "lead" and record.converted_at is None:
        return [RecordAction(_("Convert"), url_for(
            "sales_conversion.convert_page", record_id=record.id), CONVERT_LEADS)]
    return []
