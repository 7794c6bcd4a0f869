"""The home page (``/``): what waits for the signed-in user today, as widgets.

Every enabled module contributes widgets through ``patron_provide_home_widgets(user)`` (the
core its tasks; sales the pipeline, approvals, stalled deals, quota and team; service the
tickets by SLA state and the day's jobs), each drawn by its own template from one query or
a few over the user's data scope. So each role lands on its own work without a role table:
a technician has no deals to see and gets no deal widgets. The user arranges them on
``/home/arrange`` (drag to reorder, untick to hide); the arrangement is kept on the user
(``users.home_layout``), and a widget the user has not placed yet (a module enabled later)
follows those they have, in its default order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from patron.auth.models import User
from patron.plugins.services import tenant_hooks
from patron.rbac.access import can

bp = Blueprint("home", __name__)


@dataclass
class Widget:
    """One card of the home page; dropped for users lacking ``permission``.

    ``template`` is a Jinja template of the module's (found through its web blueprint's
    ``template_folder``), drawn with ``widget``; ``context`` carries what it shows. ``order``
    places it among the defaults (lower first), ``wide`` gives it the page's full width.
    """

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    permission: str | None = None
    order: int = 100
    wide: bool = False


def provided_widgets(user: User) -> list[Widget]:
    """The widgets the tenant's enabled modules provide for ``user``, in default order."""
    widgets = [
        widget
        for batch in tenant_hooks().patron_provide_home_widgets(user=user)
        for widget in batch or []
        if widget.permission is None or can(widget.permission)
    ]
    return sorted(widgets, key=lambda widget: (widget.order, widget.key))


def arranged(widgets: list[Widget], layout: dict | None) -> tuple[list[Widget], list[Widget]]:
    """``widgets`` as the user arranged them: ``(shown, hidden)``, each in the user's order,
    those the user has not placed after the rest in their default order."""
    layout = layout or {}
    placed = {key: index for index, key in enumerate(layout.get("order") or [])}
    hidden = set(layout.get("hidden") or [])
    ordered = sorted(enumerate(widgets),
                     key=lambda pair: (placed.get(pair[1].key, len(placed) + pair[0])))
    widgets = [widget for _, widget in ordered]
    return ([w for w in widgets if w.key not in hidden], [w for w in widgets if w.key in hidden])


class ArrangeForm(FlaskForm):
    """The arrangement form: its CSRF token; the widgets come as ``order`` and ``shown``."""


def home_page() -> str:
    """The signed-in user's widgets (the page of ``web.home``)."""
    shown, hidden = arranged(provided_widgets(current_user), current_user.home_layout)
    return render_template("home.html", widgets=shown, hidden_count=len(hidden))


@bp.route("/home/arrange", methods=["GET", "POST"])
@login_required
def arrange():
    """Reorder and hide the home page's widgets (or go back to the defaults)."""
    widgets = provided_widgets(current_user)
    form = ArrangeForm()
    if form.validate_on_submit():
        known = {widget.key for widget in widgets}
        if request.form.get("reset"):
            layout = None
        else:
            order = [key for key in request.form.getlist("order") if key in known]
            shown = set(request.form.getlist("shown"))
            layout = {"order": order, "hidden": [key for key in order if key not in shown]}
        current_user.home_layout = layout  # committed with the request
        flash(_("Your home page is arranged."), "success")
        return redirect(url_for("web.home"))
    shown, hidden = arranged(widgets, current_user.home_layout)
    return render_template("home_arrange.html", form=form, widgets=[*shown, *hidden],
                           hidden={widget.key for widget in hidden})
