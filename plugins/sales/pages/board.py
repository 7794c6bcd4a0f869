"""The pipeline board, ``/sales/board``: a pipeline's stages as columns of deal cards.

Moving a card posts the form ``/sales/board/move`` (htmx, from SortableJS's drop event),
which goes through the same record operation as ``PATCH /api/v1/sales/opportunities/<id>``:
permission, data scope, optimistic lock, stage history and events. The board comes back
re-rendered, so column totals follow the move.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from patron.sdk import (
    Conflict,
    ValidationFailed,
    can,
    check_version,
    db,
    get_scoped_or_404,
    require,
    spec_for,
    update_record,
)
from patron_sales.models.deals import Opportunity, Pipeline
from patron_sales.permissions import OPPORTUNITIES
from patron_sales.services.board import account_names, board
from patron_sales.services.pipelines import pipeline_or_default


def _pipeline(pipeline_id: str | None) -> Pipeline:
    try:
        return pipeline_or_default(uuid.UUID(pipeline_id) if pipeline_id else None)
    except (ValueError, ValidationFailed):
        abort(404)


def _render_board(pipeline: Pipeline, error: str | None = None, status: int = 200):
    """The whole page, or only the columns for an htmx request."""
    columns = board(pipeline)
    accounts = account_names({deal.account_id for column in columns for deal in column.deals})
    template = "sales/board_columns.html" if request.headers.get("HX-Request") else (
        "sales/board.html")
    return render_template(template, pipeline=pipeline, columns=columns, accounts=accounts,
                           error=error, can_move=can(f"{OPPORTUNITIES}.update")), status


@login_required
def pipeline_board():
    """The deals of a pipeline (the default one unless ``pipeline_id``) by stage."""
    require(f"{OPPORTUNITIES}.read")
    return _render_board(_pipeline(request.args.get("pipeline_id")))


@login_required
def move_card():
    """Move a deal to another stage of its pipeline; answers the re-rendered board."""
    require(f"{OPPORTUNITIES}.update")
    try:
        deal_id, stage_id = (uuid.UUID(request.form.get(name, ""))
                             for name in ("opportunity_id", "stage_id"))
    except ValueError:
        abort(404)
    deal = get_scoped_or_404(Opportunity, deal_id, OPPORTUNITIES)
    pipeline_id = deal.pipeline_id
    try:
        check_version(deal, request.form.get("version", type=int))
        update_record(spec_for("opportunity"), deal, {"stage_id": stage_id})
    except Conflict:
        db.session.rollback()
        message = _("Someone else changed this deal; the board shows it as it is now.")
        return _render_board(pipeline_or_default(pipeline_id), message, 409)
    except ValidationFailed:
        db.session.rollback()
        return _render_board(pipeline_or_default(pipeline_id),
                             _("The deal cannot move to that stage."), 422)
    return _render_board(pipeline_or_default(pipeline_id))


def register(bp: Blueprint) -> None:
    """Add the pipeline board and its card moves to ``bp``."""
    bp.add_url_rule("/board", view_func=pipeline_board)
    bp.add_url_rule("/board/move", view_func=move_card, methods=["POST"])
