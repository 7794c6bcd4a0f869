"""``/calendar``: the meetings, calls, visits and tasks of the user, of one colleague or of
everyone the user's data scope reaches, by month, week, day or as a list, drawn by
FullCalendar (vendored from npm); dragging an entry to another time reschedules it through
the activity's record operation (audited and announced like any change).

An activity is on the calendar at its start (``start_at``, ``end_at``: a meeting, a visit)
or, without one, at its due time (a call to make, a task). Entries are read per visible
range, one query, over the activities in the user's data scope; a subject the user's role may
not see is shown as the activity's kind.

A calendar app subscribes to ``/calendar/feed/<key>.ics`` (iCalendar, made with the
``icalendar`` library): the user's own activities from a month back to a year ahead. The key
is made on the calendar page, shown once, and opens that feed only
(:mod:`patron.auth.calendar_keys`); making a new one or stopping the feed revokes it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from icalendar import Calendar as iCalendar
from icalendar import Event
from sqlalchemy import and_, func, or_, select

from patron.auth.calendar_keys import forget_calendar_key, new_calendar_key
from patron.auth.models import User
from patron.customers.models import Activity
from patron.customers.specs import ACTIVITIES
from patron.db import db
from patron.db.mixins import utcnow
from patron.errors import ValidationFailed
from patron.mail import absolute_url
from patron.rbac.access import can, get_scoped_or_404, require, scope_for, scoped_select
from patron.rbac.field_security import hidden_fields
from patron.rbac.scopes import scope_criteria
from patron.records.operations import update_record
from patron.web.labels import label
from patron.web.links import record_url

bp = Blueprint("calendar", __name__)

#: The longest range one request reads (a month view shows six weeks).
MAX_RANGE = timedelta(days=62)
#: What the feed holds: from a month back to a year ahead, at most this many entries, and an
#: entry with only a due time lasts this long.
FEED_BACK, FEED_AHEAD, FEED_LIMIT = timedelta(days=31), timedelta(days=366), 2000
FEED_DEFAULT_LENGTH = timedelta(minutes=30)
#: Colours of the kinds (Bootstrap's palette), so a call and a meeting tell apart.
COLOURS = {"meeting": "#0d6efd", "visit": "#6f42c1", "call_in": "#198754",
           "call_out": "#198754", "task": "#fd7e14", "email": "#6c757d", "note": "#6c757d"}


def _when(name: str, default: datetime) -> datetime:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        abort(400, description=f"{name}: give an ISO 8601 time")


def _people() -> list[tuple[str, str]]:
    """Whose calendar the user may open: themselves, everyone in their scope, and each active
    colleague their data scope on activities reaches (one query over the users, never over
    the activities: the same scope rule, applied to the people)."""
    user = current_user._get_current_object()
    reach = scope_criteria(User.id, user, scope_for(ACTIVITIES.permission))
    rows = db.session.execute(select(User.id, User.name, User.email).where(
        reach, User.is_active.is_(True), User.id != user.id
    ).order_by(User.name, User.email)).all()
    return [("me", _("My calendar")), ("all", _("Everyone I can see")),
            *((str(user_id), name or email) for user_id, name, email in rows)]


@bp.route("/calendar")
@login_required
def calendar_page(feed_url: str | None = None):
    """The calendar, with a choice of whose, and its feed for calendar apps."""
    require(f"{ACTIVITIES.permission}.read")
    return render_template("calendar.html", people=_people(),
                           whose=request.args.get("user", "me"),
                           can_move=can(f"{ACTIVITIES.permission}.update"),
                           feed_url=feed_url, feed_on=current_user.calendar_key_hash is not None,
                           form=FeedForm())


class FeedForm(FlaskForm):
    """The feed's buttons (their CSRF token is all they carry)."""


@bp.route("/calendar/feed-link", methods=["POST"])
@login_required
def make_feed_link():
    """A new address for calendar apps (the old one stops working), shown once."""
    require(f"{ACTIVITIES.permission}.read")
    if not FeedForm().validate_on_submit():
        abort(400)
    key = new_calendar_key(current_user._get_current_object())
    return calendar_page(feed_url=absolute_url("calendar.calendar_feed", key=key))


@bp.route("/calendar/feed-link/stop", methods=["POST"])
@login_required
def stop_feed():
    """Stop the feed: its address opens nothing any more."""
    if not FeedForm().validate_on_submit():
        abort(400)
    forget_calendar_key(current_user._get_current_object())
    flash(_("Your calendar feed is stopped."), "info")
    return redirect(url_for(".calendar_page"))


@bp.route("/calendar/feed/<key>.ics")
@login_required
def calendar_feed(key: str):
    """The signed-in (by the key in the address) user's activities as iCalendar."""
    require(f"{ACTIVITIES.permission}.read")
    now = utcnow()
    rows = db.session.execute(
        scoped_select(Activity, ACTIVITIES.permission).where(
            Activity.owner_id == current_user.id, Activity.status != "cancelled",
            or_(and_(Activity.start_at >= now - FEED_BACK, Activity.start_at < now + FEED_AHEAD),
                and_(Activity.start_at.is_(None), Activity.due_at >= now - FEED_BACK,
                     Activity.due_at < now + FEED_AHEAD)))
        .order_by(Activity.id).limit(FEED_LIMIT)).scalars()
    hidden = hidden_fields("activity")
    feed = iCalendar()
    feed.add("prodid", "-//Patron CRM//Calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", _("Patron: %(name)s", name=current_user.name or current_user.email))
    for activity in rows:
        entry = Event()
        entry.add("uid", f"{activity.id}@patron")
        entry.add("dtstamp", activity.updated_at)
        entry.add("summary", label(activity.kind) if "subject" in hidden else activity.subject)
        starts = activity.start_at or activity.due_at
        entry.add("dtstart", starts)
        entry.add("dtend", activity.end_at if activity.start_at and activity.end_at
                  else starts + FEED_DEFAULT_LENGTH)
        entry.add("url", absolute_url("records.record_detail", entity="activity",
                                      record_id=activity.id))
        feed.add_component(entry)
    return Response(feed.to_ical(), mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="patron.ics"'})


@bp.route("/calendar/events")
@login_required
def calendar_events():
    """The entries between ``start`` and ``end`` (FullCalendar's event feed; default: the
    past week and the next five) of ``user``: ``me`` (default), ``all`` or a user's id."""
    require(f"{ACTIVITIES.permission}.read")
    start = _when("start", utcnow() - timedelta(days=7))
    end = _when("end", start + timedelta(days=42))
    if not start < end <= start + MAX_RANGE:
        abort(400, description="the range must be forward and at most 62 days")
    at = func.coalesce(Activity.start_at, Activity.due_at)
    # Each time column on its own, so that its index serves the range.
    statement = scoped_select(Activity, ACTIVITIES.permission).where(or_(
        and_(Activity.start_at >= start, Activity.start_at < end),
        and_(Activity.start_at.is_(None), Activity.due_at >= start, Activity.due_at < end)))
    whose = request.args.get("user", "me")
    if whose == "me":
        statement = statement.where(Activity.owner_id == current_user.id)
    elif whose != "all":
        try:
            statement = statement.where(Activity.owner_id == uuid.UUID(whose))
        except ValueError:
            abort(400, description="user: me, all or a user's id")
    hidden = hidden_fields("activity")
    movable = can(f"{ACTIVITIES.permission}.update")
    return jsonify([{
        "id": str(activity.id),
        "title": label(activity.kind) if "subject" in hidden else activity.subject,
        "start": (activity.start_at or activity.due_at).isoformat(),
        "end": activity.end_at.isoformat() if activity.start_at and activity.end_at else None,
        "url": record_url("activity", activity.id),
        "color": COLOURS.get(activity.kind),
        "editable": movable and activity.status == "open",
        "classNames": ["activity-done"] if activity.status == "done" else [],
        "extendedProps": {"moveUrl": url_for(".move_event", record_id=activity.id)},
    } for activity in db.session.execute(statement.order_by(at, Activity.id).limit(1000))
        .scalars()])


@bp.route("/calendar/events/<uuid:record_id>/move", methods=["POST"])
@login_required
def move_event(record_id: uuid.UUID):
    """Reschedule an activity to ``start`` (and ``end``): a meeting keeps its length when no
    end is given, a task or call gets the new due time. Answers the entry's new times."""
    require(f"{ACTIVITIES.permission}.update")
    activity = get_scoped_or_404(Activity, record_id, ACTIVITIES.permission)
    start = _form_time("start")
    if activity.start_at is not None:
        length = (activity.end_at - activity.start_at) if activity.end_at else None
        end = _form_time("end", required=False) or (start + length if length else None)
        changes = {"start_at": start, "end_at": end}
    else:
        changes = {"due_at": start}
    answer = {key: value.isoformat() if value else None for key, value in changes.items()}
    update_record(ACTIVITIES, activity, changes)
    return jsonify(answer)


def _form_time(name: str, *, required: bool = True) -> datetime | None:
    raw = (request.form.get(name) or "").strip()
    if not raw and not required:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed({name: [_("Give a date and time.")]}) from None
    if moment.tzinfo is None:
        raise ValidationFailed({name: [_("Give a date and time.")]})
    return moment
