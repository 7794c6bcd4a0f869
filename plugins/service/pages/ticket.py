"""``/service/tickets/<id>``: a ticket as the agent works it — whether its customer is
covered (:mod:`patron_service.services.coverage`), its replies (public ones to
the customer and internal notes, with a form to write one) and its knowledge-base articles
(linked ones, with the suggested ones to link). Replies and links go through the same
operations as ``POST /api/v1/service/tickets/<id>/replies`` and
``POST/DELETE /api/v1/service/tickets/<id>/articles``; a refusal is shown on the page."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import login_required

from patron.sdk import attempt, can, flash_refusal, mail_enabled
from patron_service.pages.inputs import parse_id
from patron_service.permissions import KB, TICKETS
from patron_service.services.coverage import ticket_coverage
from patron_service.services.knowledge import suggested_articles
from patron_service.services.replies import add_reply, replies_of
from patron_service.services.ticket_articles import (
    link_article,
    linked_articles,
    unlink_article,
)
from patron_service.services.tickets import workable_ticket

bp = Blueprint("ticket", __name__)


def _back(record_id: uuid.UUID) -> Response:
    return redirect(url_for(".ticket_page", record_id=record_id))


def _write_and_back(record_id: uuid.UUID, write: Callable[[], object]) -> Response:
    """Run ``write`` (telling why, if it was refused) and go back to the ticket."""
    outcome = attempt(write)
    if not outcome.ok:
        flash_refusal(outcome)
    return _back(record_id)


@bp.route("/service/tickets/<uuid:record_id>")
@login_required
def ticket_page(record_id: uuid.UUID):
    """The ticket with its coverage, its replies and its linked and suggested articles."""
    ticket = workable_ticket(record_id, "read")
    # The articles only for those who read the knowledge base; the rest of the page for all
    # who may read the ticket.
    knowledge = can(f"{KB}.read")
    linked = linked_articles(ticket) if knowledge else []
    shown = {article.id for article in linked}
    suggested = [article for article in suggested_articles(ticket.subject, ticket.product_id)
                 if article.id not in shown] if knowledge else []
    return render_template("service/ticket.html", ticket=ticket, linked=linked,
                           suggested=suggested, knowledge=knowledge, replies=replies_of(ticket),
                           coverage=ticket_coverage(ticket), can_update=can(f"{TICKETS}.update"),
                           mail_on=mail_enabled())


@bp.route("/service/tickets/<uuid:record_id>/replies", methods=["POST"])
@login_required
def ticket_page_reply(record_id: uuid.UUID):
    """Write the reply sent (``body``; ``public`` checked: to the customer, else a note)."""
    ticket = workable_ticket(record_id, "update")
    return _write_and_back(record_id, lambda: add_reply(
        ticket, request.form.get("body", ""), request.form.get("public") == "1"))


@bp.route("/service/tickets/<uuid:record_id>/articles", methods=["POST"])
@login_required
def ticket_page_link(record_id: uuid.UUID):
    """Link the article sent (``article_id``) to the ticket."""
    ticket = workable_ticket(record_id, "update", articles=True)
    article_id = parse_id(request.form.get("article_id")) or uuid.UUID(int=0)
    return _write_and_back(record_id, lambda: link_article(ticket, article_id))


@bp.route("/service/tickets/<uuid:record_id>/articles/<uuid:article_id>/unlink",
          methods=["POST"])
@login_required
def ticket_page_unlink(record_id: uuid.UUID, article_id: uuid.UUID):
    """Take the article off the ticket."""
    unlink_article(workable_ticket(record_id, "update", articles=True), article_id)
    return _back(record_id)
