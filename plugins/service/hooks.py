"""The service module's hooks (:mod:`patron.plugins.hookspecs`), all tenant-scope: the
default hours and SLA policy of a tenant that enables the module, its menu entries, the
account's open tickets on the 360° view, and what it adds to the core's records (the
references that keep an account, contact or product from being deleted, a "New ticket"
button on an account's or a contact's page, the customer's coverage on the ticket form).

Registered by re-export from the package (:mod:`patron_service`); what the module registers
with the application is declared in its ``ModuleInfo`` instead.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from patron.sdk import (
    Account,
    DomainEvent,
    FormPanel,
    MenuItem,
    Panel,
    RecordAction,
    Reference,
    Referrer,
    User,
    Widget,
    count_references,
    handle_by_name,
    hookimpl,
)
from patron_service.models.contracts import ServiceContract
from patron_service.models.field_work import PartUsed, WorkOrder
from patron_service.models.knowledge import Article
from patron_service.models.tickets import Ticket
from patron_service.pages.widgets import service_widgets
from patron_service.permissions import (
    CONTRACTS,
    KB,
    MODULE,
    REPORTS,
    SCHEDULE_WORK_ORDERS,
    TECHNICIANS,
    TICKETS,
    WORK_ORDERS,
)
from patron_service.services.notices import NOTICES
from patron_service.services.panels import open_tickets_panel
from patron_service.services.sla_policies import seed_service_defaults


def _tickets(n: int) -> str:
    return ngettext("%(num)d ticket", "%(num)d tickets", n)


def _work_orders(n: int) -> str:
    return ngettext("%(num)d work order", "%(num)d work orders", n)


def _service_contracts(n: int) -> str:
    return ngettext("%(num)d service contract", "%(num)d service contracts", n)


def _parts_used(n: int) -> str:
    return ngettext("%(num)d part used on work orders", "%(num)d parts used on work orders", n)


def _articles(n: int) -> str:
    return ngettext("%(num)d knowledge article", "%(num)d knowledge articles", n)


#: Every column of the module that refers to a core record without cascading.
REFERRERS: dict[str, tuple[Referrer, ...]] = {
    "account": (
        Referrer(Ticket.account_id, _tickets),
        Referrer(WorkOrder.account_id, _work_orders),
        Referrer(ServiceContract.account_id, _service_contracts),
    ),
    "contact": (
        Referrer(Ticket.contact_id, _tickets),
    ),
    "product": (
        Referrer(Ticket.product_id, _tickets),
        Referrer(ServiceContract.product_id, _service_contracts),
        Referrer(PartUsed.product_id, _parts_used),
        Referrer(Article.product_id, _articles),
    ),
}


@hookimpl
def patron_module_enabled(module: str) -> None:
    """Give the tenant business hours and a default SLA policy the first time."""
    if module == MODULE:
        seed_service_defaults()


@hookimpl
def patron_events_emitted(events: list[DomainEvent]) -> None:
    """Tell the assignee or the technicians what concerns them (notifications)."""
    handle_by_name(events, NOTICES)


@hookimpl
def patron_provide_home_widgets(user: User) -> list[Widget]:
    """A technician's jobs of today, and the user's open tickets by SLA state."""
    return service_widgets(user)


@hookimpl
def patron_provide_menu_items(user: User) -> list[MenuItem]:
    """Under "Service": tickets, work orders, technicians, articles and contracts on the
    core's record pages; the dispatch board, the technician's day and the reports."""
    group = _("Service")

    def entry(text: str, endpoint: str, permission: str, order: int, icon: str,
              entity: str | None = None) -> MenuItem:
        return MenuItem(text, endpoint, permission, order=order, group=group, icon=icon,
                        params=(("entity", entity),) if entity else ())

    return [
        entry(_("Tickets"), "records.record_list", f"{TICKETS}.read", 40, "ticket", "ticket"),
        entry(_("Work orders"), "records.record_list", f"{WORK_ORDERS}.read", 41, "tools",
              "work_order"),
        entry(_("Technicians"), "records.record_list", f"{TECHNICIANS}.read", 42,
              "person-gear", "technician"),
        entry(_("Dispatch board"), "service_pages.dispatch.dispatch_board",
              SCHEDULE_WORK_ORDERS, 43, "calendar-week"),
        entry(_("Knowledge base"), "records.record_list", f"{KB}.read", 44, "book", "article"),
        entry(_("Service contracts"), "records.record_list", f"{CONTRACTS}.read", 45,
              "file-earmark-text", "service_contract"),
        entry(_("My jobs today"), "service_pages.my_jobs.my_jobs", f"{WORK_ORDERS}.update", 46,
              "list-check"),
        entry(_("Service reports"), "service_pages.reports.reports_page", f"{REPORTS}.read",
              47, "bar-chart"),
    ]


@hookimpl
def patron_provide_account_panels(account: Account, user: User) -> list[Panel]:
    """The account's open tickets."""
    return [open_tickets_panel(account)]


@hookimpl
def patron_record_references(entity: str, record_id: uuid.UUID) -> list[Reference]:
    """Tickets, work orders and service contracts of an account; tickets of a contact;
    tickets, service contracts, parts used and articles about a product."""
    return count_references(record_id, REFERRERS.get(entity, ()))


@hookimpl
def patron_record_actions(entity: str, record: Any) -> list[RecordAction]:
    """"New ticket" on an account or a contact, with them filled in; on a ticket, its page
    (replies, history, SLA)."""
    if entity == "ticket":
        return [RecordAction(_("Open the ticket page"), url_for(
            "service_pages.ticket.ticket_page", record_id=record.id), f"{TICKETS}.read")]
    if entity == "account":
        about = {"account_id": record.id}
    elif entity == "contact":
        about = {"contact_id": record.id}
        if record.account_id:
            about["account_id"] = record.account_id
    else:
        return []
    return [RecordAction(_("New ticket"), url_for(
        "records.record_create", entity="ticket", **about), f"{TICKETS}.create")]


@hookimpl
def patron_record_form_panels(entity: str, record: Any) -> list[FormPanel]:
    """Whether the ticket's customer (account, and product) is covered, live on its form."""
    if entity != "ticket":
        return []
    return [FormPanel(url_for("service_pages.coverage.coverage_panel"),
                      ("account_id", "product_id"), f"{TICKETS}.read")]
