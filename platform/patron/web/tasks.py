"""The user's tasks: the home page's "My tasks" widget and the one-click "Done".

A task is any open activity the user owns that is due by the end of today (the tenant's
day), overdue ones first: calls to return, meetings to write up, to-dos. "Done" closes it
through the record operation (audited and announced like any change) and returns to the
page it was pressed on.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import func

from patron.auth.models import User
from patron.customers.models import Activity
from patron.customers.specs import ACTIVITIES
from patron.db import db
from patron.rbac.access import can, get_scoped_or_404, require, scoped_select
from patron.records.operations import update_record
from patron.web.home import Widget
from patron.web.list_query import list_url
from patron.web.record_forms import local_zone
from patron.web.views import local_target

bp = Blueprint("tasks", __name__)

#: Tasks the widget lists; the activity list holds the rest.
SHOWN = 8
OPEN, DONE = "open", "done"


def end_of_today() -> datetime:
    """The end of today in the tenant's time zone (an aware datetime)."""
    zone = local_zone()
    return datetime.combine(datetime.now(zone).date() + timedelta(days=1), time.min,
                            tzinfo=zone)


def my_tasks_widget(user: User) -> Widget | None:
    """The user's open activities due by the end of today, overdue first, with how many
    there are and how many are overdue (one query for the rows, one for the counts)."""
    permission = ACTIVITIES.permission
    if not can(f"{permission}.read"):
        return None
    due = scoped_select(Activity, permission).where(
        Activity.owner_id == user.id, Activity.status == OPEN,
        Activity.due_at < end_of_today())
    tasks = list(db.session.execute(
        due.order_by(Activity.due_at, Activity.id).limit(SHOWN)).scalars())
    now = datetime.now(local_zone())
    total, overdue = db.session.execute(due.with_only_columns(
        func.count(Activity.id), func.count(Activity.id).filter(Activity.due_at < now),
        maintain_column_froms=True)).one()
    return Widget("core.my_tasks", _l("My tasks"), "widgets/my_tasks.html", {
        "tasks": tasks, "total": total, "overdue": overdue, "now": now,
        "can_close": can(f"{permission}.update"),
        "all_url": list_url("activity", {"owner": "me", "status": OPEN, "sort": "due_at"}),
    }, permission=f"{permission}.read", order=10)


@bp.route("/tasks/<uuid:record_id>/done", methods=["POST"])
@login_required
def mark_done(record_id: uuid.UUID):
    """Close an activity the user may change, then return to the page it was done on."""
    require(f"{ACTIVITIES.permission}.update")
    activity = get_scoped_or_404(Activity, record_id, ACTIVITIES.permission)
    if activity.status != DONE:  # committed with the request
        update_record(ACTIVITIES, activity, {"status": DONE})
    flash(_("Done: %(subject)s", subject=activity.subject), "success")
    return redirect(local_target(request.form.get("next"), url_for("web.home")))
