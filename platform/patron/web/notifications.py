"""The bell in the top bar, ``/notifications`` and the user's notification settings.

The bell shows the unread count in every page and asks again every minute (htmx polling:
a count is one indexed query, and a polling GET works behind every proxy, where a held-open
event stream would need one per tab). Opening a notification marks it read and goes to its
page.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from patron.notifications import (
    DAILY,
    IMMEDIATELY,
    NEVER,
    mark_all_read,
    mark_read,
    recent,
    unread_count,
)
from patron.web.views import local_target

bp = Blueprint("notification_pages", __name__)


class SettingsForm(FlaskForm):
    """How the user hears of notifications besides the bell."""

    notify_by_email = RadioField(_l("Also send them by e-mail"), choices=[
        SelectChoice(NEVER, _l("Never")),
        SelectChoice(IMMEDIATELY, _l("At once, one mail each")),
        SelectChoice(DAILY, _l("Once a day, in one digest"))])


class MarkForm(FlaskForm):
    """A button that marks notifications read (its CSRF token is all it carries)."""


def bell_count() -> int:
    """The signed-in user's unread notifications (for the bell of every page)."""
    return unread_count(current_user.id) if current_user.is_authenticated else 0


bp.add_app_template_global(bell_count)


@bp.route("/notifications")
@login_required
def notification_list():
    """The user's latest notifications, unread ones marked."""
    return render_template("notifications/list.html", notifications=recent(current_user.id),
                           form=MarkForm())


@bp.route("/notifications/bell")
@login_required
def bell():
    """The bell alone, for the page to refresh its count."""
    return render_template("notifications/_bell.html")


@bp.route("/notifications/<uuid:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: uuid.UUID):
    """Mark the notification read and go to the page it is about."""
    if not MarkForm().validate_on_submit():
        abort(400)
    notification = mark_read(current_user.id, notification_id)
    if notification is None:
        abort(404)
    return redirect(local_target(notification.link, url_for(".notification_list")))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification read."""
    if not MarkForm().validate_on_submit():
        abort(400)
    count = mark_all_read(current_user.id)
    flash(_("Marked %(num)d read.", num=count) if count else _("Nothing was unread."), "info")
    return redirect(url_for(".notification_list"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Choose whether notifications are also mailed."""
    form = SettingsForm(notify_by_email=current_user.notify_by_email)
    if request.method == "POST" and form.validate_on_submit():
        current_user.notify_by_email = form.notify_by_email.data
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for(".notification_list"))
    return render_template("notifications/settings.html", form=form), (
        422 if form.errors else 200)
