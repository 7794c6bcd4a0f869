"""Saved views: a user's named filters and sort for an entity's list page.

A view stores the list page's query string, so applying one is following a link; the list
validates it like any other query (a view naming a since-deleted custom field shows the
error instead of everything).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from patron.db import db
from patron.web.fields import page_spec
from patron.web.models import SavedView

MAX_NAME = 100
MAX_QUERY = 2000

bp = Blueprint("saved_views", __name__, url_prefix="/records")


def views_of(entity: str) -> list[SavedView]:
    """The signed-in user's saved views of ``entity``, by name."""
    return list(db.session.execute(
        select(SavedView)
        .where(SavedView.user_id == current_user.id, SavedView.entity == entity)
        .order_by(SavedView.name)
    ).scalars())


def save_view(entity: str, name: str, query: str) -> SavedView:
    """Create the user's view ``name`` of ``entity``, or point the existing one at ``query``."""
    view = next((v for v in views_of(entity) if v.name == name), None)
    if view is None:
        view = SavedView(user_id=current_user.id, entity=entity, name=name)
        db.session.add(view)
    view.query = query
    db.session.flush()
    return view


@bp.route("/<entity>/views", methods=["POST"])
@login_required
def create_view(entity: str):
    """Save the list's current query under a name."""
    page_spec(entity, "read")
    name = request.form.get("name", "").strip()
    query = request.form.get("query", "").strip().lstrip("?")
    if not 0 < len(name) <= MAX_NAME or len(query) > MAX_QUERY:
        flash(_("Give the view a name of at most %(max)d characters.", max=MAX_NAME), "danger")
        return redirect(url_for("records.record_list", entity=entity) + "?" + query)
    save_view(entity, name, query)
    flash(_("View “%(name)s” saved.", name=name), "success")
    return redirect(url_for("records.record_list", entity=entity) + "?" + query)


@bp.route("/<entity>/views/<uuid:view_id>/delete", methods=["POST"])
@login_required
def delete_view(entity: str, view_id: uuid.UUID):
    """Delete one of the user's saved views."""
    page_spec(entity, "read")
    view = next((v for v in views_of(entity) if v.id == view_id), None)
    if view is None:
        abort(404)
    db.session.delete(view)
    flash(_("View “%(name)s” deleted.", name=view.name), "success")
    return redirect(url_for("records.record_list", entity=entity))
