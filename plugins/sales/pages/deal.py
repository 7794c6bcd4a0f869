"""A deal's page, ``/sales/deals/<id>``: the path of its pipeline's stages (a click moves the
deal; Won and Lost ask why first), its terms, the contacts with their buying roles, its team,
product lines and competitors (strengths, weaknesses, opportunities, threats) — each added,
changed and removed on the page (:mod:`patron_sales.pages.rows`, through the API's own
:data:`~patron_sales.services.deal_rows.DETAILS`) — its quotes, its stage history and its
timeline.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from patron.sdk import (
    User,
    can,
    db,
    get_scoped_or_404,
    in_scope,
    require,
    save_changes,
    scoped_select,
    spec_for,
    timeline,
    timeline_section,
)
from patron_sales.models.commerce import Quote
from patron_sales.models.deals import LOST, OPEN, WON, Opportunity, Stage
from patron_sales.pages.rows import RowSection, register_row_pages, section_view
from patron_sales.permissions import OPPORTUNITIES, QUOTES
from patron_sales.services.board import account_names
from patron_sales.services.deal_rows import DETAILS
from patron_sales.services.opportunities import history_of
from patron_sales.services.pipelines import stages_of

#: Field labels of the deal's and the quotes' rows.
LABELS = {
    "contact_id": _l("Contact"), "role": _l("Role"), "is_primary": _l("Primary contact"),
    "user_id": _l("Colleague"), "product_id": _l("Product"), "quantity": _l("Quantity"),
    "unit_price": _l("Unit price"), "discount_percent": _l("Discount %"),
    "amount": _l("Amount"), "name": _l("Name"), "strengths": _l("Strengths"),
    "weaknesses": _l("Weaknesses"), "opportunities": _l("Opportunities"),
    "threats": _l("Threats"), "description": _l("Description"),
}
#: The buying roles as the role select shows them (``economic_buyer`` → "Economic buyer").
BUYING_ROLE_LABELS = (_l("Economic buyer"), _l("User"), _l("Technical evaluator"),
                      _l("Coach"), _l("Decision maker"), _l("Influencer"), _l("Other"))
#: Help under the unit price of a product line.
PRICE_HINT = _l("Leave the unit price blank for the price list's price (else the product's "
                "list price).")

_DETAILS = {children.name: children for children in DETAILS}
SECTIONS = (
    RowSection(_DETAILS["contacts"], _l("Contacts and buying roles"), _l("Add contact"),
               inputs=("contact_id", "role", "is_primary"),
               columns=("contact_id", "role", "is_primary"), labels=LABELS),
    RowSection(_DETAILS["lines"], _l("Product lines"), _l("Add product line"),
               inputs=("product_id", "quantity", "unit_price", "discount_percent"),
               columns=("product_id", "quantity", "unit_price", "discount_percent", "amount"),
               labels=LABELS, hints={"unit_price": PRICE_HINT},
               money=("unit_price", "amount")),
    RowSection(_DETAILS["competitors"], _l("Competitors"), _l("Add competitor"),
               inputs=("name", "strengths", "weaknesses", "opportunities", "threats"),
               columns=("name", "strengths", "weaknesses", "opportunities", "threats"),
               labels=LABELS),
    RowSection(_DETAILS["team"], _l("Deal team"), _l("Add colleague"), inputs=("user_id", "role"),
               columns=("user_id", "role"), labels=LABELS),
)


def deal_url(deal: Opportunity) -> str:
    """The deal's page."""
    return url_for("sales_pages.deal_page", record_id=deal.id)


def _quotes_of(deal: Opportunity) -> list[Quote] | None:
    """The deal's quotes the user may see, newest first (``None``: no permission)."""
    if not can(f"{QUOTES}.read"):
        return None
    return list(db.session.execute(
        scoped_select(Quote, QUOTES).where(Quote.opportunity_id == deal.id)
        .order_by(Quote.created_at.desc(), Quote.id.desc())
    ).scalars())


def deal_context(deal: Opportunity, states: dict[str, dict]) -> dict[str, Any]:
    """What the deal's page shows; ``states`` reopen refused forms (see
    :data:`~patron_sales.pages.rows.Render`), ``states["quotes"]`` a refused new quote."""
    visits = history_of(deal)
    stage_ids = {visit.stage_id for visit in visits} | {deal.stage_id}
    stages = {stage.id: stage for stage in db.session.execute(
        select(Stage).where(Stage.id.in_(stage_ids))).scalars()}
    movers = {visit.moved_by for visit in visits if visit.moved_by}
    people = dict(db.session.execute(
        select(User.id, User.name).where(User.id.in_(movers))).all()) if movers else {}
    # A team member reads the deal; changing it takes the owner's scope (share_records).
    editable = can(f"{OPPORTUNITIES}.update") and in_scope(Opportunity, deal.id, OPPORTUNITIES)
    sections = [section_view(section, deal, url_for(
        f"sales_pages.deal_{section.key}_add", record_id=deal.id), editable=editable,
        currency=deal.currency, **states.get(section.key, {})) for section in SECTIONS]
    path = stages_of(deal.pipeline_id)
    return {
        "deal": deal, "visits": visits, "stages": stages, "people": people,
        "path": [stage for stage in path if stage.kind == OPEN],
        "closing": {kind: next((s for s in path if s.kind == kind), None) for kind in (WON, LOST)},
        "stage_state": states.get("stage", {}),
        "accounts": account_names({deal.account_id}), "sections": sections,
        "editable": editable, "quotes": _quotes_of(deal),
        "can_quote": can(f"{QUOTES}.create"), "quote_state": states.get("quotes", {}),
        "timeline": timeline_section("opportunity", deal.id,
                                     timeline("opportunity", deal.id), with_form=False),
    }


def render_deal(deal: Opportunity, states: dict[str, dict] | None = None, status: int = 200):
    """The deal's page, or only its body for htmx."""
    template = "sales/_deal_body.html" if request.headers.get("HX-Request") else (
        "sales/deal.html")
    return render_template(template, **deal_context(deal, states or {})), status


@login_required
def deal_page(record_id: uuid.UUID):
    """A deal with its contacts, lines, competitors, team, quotes, history and timeline."""
    require(f"{OPPORTUNITIES}.read")
    return render_deal(get_scoped_or_404(Opportunity, record_id, OPPORTUNITIES, shared=True))


@login_required
def move_deal(record_id: uuid.UUID):
    """Move the deal to the stage posted (``stage_id``; a won or lost one with its
    ``win_loss_reason``) through the deal's spec: the API's checks, history and events."""
    require(f"{OPPORTUNITIES}.update")
    deal = get_scoped_or_404(Opportunity, record_id, OPPORTUNITIES)
    data = {"stage_id": request.form.get("stage_id", "")}
    if request.form.get("win_loss_reason", "").strip():
        data["win_loss_reason"] = request.form["win_loss_reason"].strip()
    outcome = save_changes(spec_for("opportunity"), deal, request.form, data)
    if not outcome.ok:
        deal = get_scoped_or_404(Opportunity, record_id, OPPORTUNITIES)
        return render_deal(deal, {"stage": {"errors": outcome.errors}}, outcome.status)
    if request.headers.get("HX-Request"):
        return render_deal(deal)
    return redirect(deal_url(deal))


@login_required
def amount_source(record_id: uuid.UUID):
    """Choose whether the deal's amount is the sum of its lines (``from_lines`` = 1) or what
    was typed in, through the deal's spec."""
    require(f"{OPPORTUNITIES}.update")
    deal = get_scoped_or_404(Opportunity, record_id, OPPORTUNITIES)
    data = {"amount_from_lines": request.form.get("from_lines") == "1"}
    outcome = save_changes(spec_for("opportunity"), deal, request.form, data)
    if not outcome.ok:
        return render_deal(deal, {"stage": {"errors": outcome.errors}}, outcome.status)
    return redirect(deal_url(deal))


def register(bp: Blueprint) -> None:
    """Add the deal's page, its stage moves, the choice of where its amount comes from and
    the forms of its rows to ``bp``."""
    bp.add_url_rule("/deals/<uuid:record_id>", view_func=deal_page)
    bp.add_url_rule("/deals/<uuid:record_id>/amount-source", view_func=amount_source,
                    methods=["POST"])
    bp.add_url_rule("/deals/<uuid:record_id>/stage", view_func=move_deal, methods=["POST"])
    for section in SECTIONS:
        register_row_pages(bp, section, "deal", "deals", render_deal, deal_url)
