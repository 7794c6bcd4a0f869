"""Reminders: a little before an open activity is due (a call to make, a task) or starts (a
meeting, a visit), its owner is told, in the app and, if they asked for it, by mail
(:func:`patron.notifications.notify`); once per activity, unless it is moved again.

The worker runs :data:`REMINDER_JOB` every minute for each tenant; each run is one indexed
query per time column over the next :data:`AHEAD`.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from patron.customers.models import Activity
from patron.db import db
from patron.db.mixins import utcnow
from patron.events.jobs import Job
from patron.mail import page_path
from patron.notifications import notify
from patron.tenancy.services import current_tenant

#: How long before its time an activity is reminded of.
AHEAD = timedelta(minutes=15)


def send_reminders() -> int:
    """Remind the owners of the current tenant's open activities that fall due or start
    within :data:`AHEAD` and were not reminded of yet; returns how many."""
    now = utcnow()
    soon = now + AHEAD
    due = db.session.execute(select(Activity).where(
        Activity.status == "open", Activity.reminded_at.is_(None),
        Activity.owner_id.is_not(None),
        or_(Activity.start_at.between(now, soon),
            and_(Activity.start_at.is_(None), Activity.due_at.between(now, soon))),
    ).order_by(Activity.id).limit(1000)).scalars().all()
    zone = ZoneInfo(current_tenant().timezone)
    for activity in due:
        at = (activity.start_at or activity.due_at).astimezone(zone)
        time = at.strftime("%H:%M")
        notify([activity.owner_id], _l("Reminder: %(subject)s at %(time)s",
                                       subject=activity.subject, time=time),
               naming=("activity", "subject"),
               instead=_l("Reminder: an activity at %(time)s", time=time),
               kind="core.activity_reminder",
               link=page_path("records.record_detail", entity="activity",
                              record_id=activity.id))
        activity.reminded_at = now
    db.session.flush()
    return len(due)


#: The worker reminds each tenant's users every minute.
REMINDER_JOB = Job("core.activity_reminders", every_seconds=60, run=send_reminders)
