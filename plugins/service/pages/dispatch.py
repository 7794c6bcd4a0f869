"""``/service/dispatch``: the dispatch board, a day (or, with ``view=week``, a week) of every
technician by the hour (:mod:`patron_service.services.dispatch`).

Dropping a work order on a slot posts ``/service/dispatch/schedule`` (htmx, from SortableJS's
drop event), which goes through the same booking as
``POST /api/v1/service/work-orders/<id>/schedule``: permission, data scope, optimistic lock,
conflict checks (an override reason typed on the board is sent along) and events. The board
comes back re-rendered, with the refusal if there was one.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from patron.sdk import attempt, can, get_scoped_or_404, require
from patron_service.models.field_work import WorkOrder
from patron_service.pages.inputs import (
    STALE,
    page_version_matches,
    parse_day,
    parse_id,
    refusal_text,
)
from patron_service.permissions import SCHEDULE_WORK_ORDERS, WORK_ORDERS
from patron_service.services.dispatch import board_for, parse_view
from patron_service.services.scheduling import schedule
from patron_service.services.sla import tenant_timezone

bp = Blueprint("dispatch", __name__)


def _render_board(day: date, view: str, error: str | None = None,
                  status: int = 200) -> tuple[str, int]:
    """The whole page, or only the board for an htmx request."""
    template = "service/dispatch_board.html" if request.headers.get("HX-Request") else (
        "service/dispatch.html")
    return render_template(template, board=board_for(day, tenant_timezone(), view),
                           error=error, can_schedule=can(SCHEDULE_WORK_ORDERS)), status


@bp.route("/service/dispatch")
@login_required
def dispatch_board():
    """A day (``?day=YYYY-MM-DD``, default today) or the week containing it
    (``&view=week``) of every technician, by the hour."""
    require(f"{WORK_ORDERS}.read")
    today = datetime.now(tenant_timezone()).date()
    return _render_board(parse_day(request.args.get("day"), today),
                         parse_view(request.args.get("view")))


@bp.route("/service/dispatch/schedule", methods=["POST"])
@login_required
def dispatch_drop():
    """Book the dropped work order on the technician's slot; answers the re-rendered board
    (with the refusal, and nothing changed, when the booking cannot stand)."""
    require(SCHEDULE_WORK_ORDERS)
    order_id, technician_id = (parse_id(request.form.get(name))
                               for name in ("work_order_id", "technician_id"))
    if order_id is None or technician_id is None:
        abort(404)
    order = get_scoped_or_404(WorkOrder, order_id, WORK_ORDERS)
    try:
        starts_at = datetime.fromisoformat(request.form.get("starts_at", ""))
    except ValueError:
        abort(400)
    day = starts_at.astimezone(tenant_timezone()).date()
    view = parse_view(request.form.get("view"))
    if not page_version_matches(order):
        return _render_board(day, view, str(STALE), 409)
    outcome = attempt(lambda: schedule(order, {
        "technician_ids": [technician_id], "starts_at": starts_at,
        "override_reason": request.form.get("override_reason") or None}))
    if not outcome.ok:
        return _render_board(day, view, refusal_text(outcome), outcome.status)
    return _render_board(day, view)
