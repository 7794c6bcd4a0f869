"""``/admin/users``: the tenant's people — invite, change role, department and manager,
deactivate and reactivate."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from patron.auth.invitations import InvitationRefused, invite
from patron.auth.models import User
from patron.rbac.access import can, require
from patron.records.listing import list_records
from patron.records.operations import update_record
from patron.records.spec import spec_for
from patron.web.admin.blueprint import admin_record, bp
from patron.web.display import reference_names
from patron.web.fields import FieldInfo, schema_fields
from patron.web.record_forms import initial_values
from patron.web.writes import Outcome, submit_create, submit_update

USERS = "users"
INVITE_FIELDS = ("email", "name", "password", "role_id", "department_id", "manager_id")
EDIT_FIELDS = ("name", "role_id", "department_id", "manager_id")
PAGE_SIZE = 100


def _fields(names: tuple[str, ...]) -> list[FieldInfo]:
    """The user schema's fields called ``names``."""
    by_name = {f.name: f for f in schema_fields(spec_for(USERS).schema)}
    return [by_name[n] for n in names]


def _render_list(form: MultiDict, outcome: Outcome):
    spec = spec_for(USERS)
    page = list_records(spec, {"limit": PAGE_SIZE, "sort": "name",
                               **({"cursor": request.args["cursor"]}
                                  if request.args.get("cursor") else {})}, current_user)
    shown = _fields(("role_id", "department_id", "manager_id"))
    return render_template(
        "admin/users.html", users=page["items"], next_cursor=page["next_cursor"],
        shown=shown, names=reference_names(shown, page["items"]),
        invite_fields=_fields(INVITE_FIELDS), form=form, errors=outcome.errors,
        can_create=can("core.users.create"),
    ), outcome.status


@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    """Everyone in the tenant, and the invitation form: a new user without a password is
    invited to choose one (by e-mail, or with a link the admin passes on)."""
    require("core.users.read")
    if request.method == "GET":
        return _render_list(MultiDict(), Outcome())
    require("core.users.create")
    outcome = submit_create(spec_for(USERS), _fields(INVITE_FIELDS), request.form)
    if not outcome.ok:
        return _render_list(request.form, outcome)
    if outcome.value.password_hash is None:
        _tell_invitation(outcome.value)
    else:
        flash(_("%(email)s can now sign in.", email=outcome.value.email), "success")
    return redirect(url_for("admin.users"))


def _tell_invitation(user: User) -> None:
    """Invite ``user`` to choose a password, and say how the link reaches them."""
    link, mailed = invite(user, current_user.name)
    if mailed:
        flash(_("An invitation was sent to %(email)s.", email=user.email), "success")
    else:
        flash(_("No mail server is set up: send %(email)s this link yourself (it works for "
                "7 days): %(link)s", email=user.email, link=link), "info")


@bp.route("/users/<uuid:user_id>/invitation", methods=["POST"])
@login_required
def user_invitation(user_id: uuid.UUID):
    """Send a new invitation to a user who has not chosen a password yet."""
    require("core.users.create")
    _spec, user = admin_record(USERS, user_id, "read")
    try:
        _tell_invitation(user)
    except InvitationRefused:
        flash(_("%(email)s can already sign in.", email=user.email), "warning")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.route("/users/<uuid:user_id>", methods=["GET", "POST"])
@login_required
def user_edit(user_id: uuid.UUID):
    """Change a user's name, role, department and manager."""
    spec, user = admin_record(USERS, user_id, "read")
    fields = _fields(EDIT_FIELDS)
    if request.method == "GET":
        return _render_user(user, fields, initial_values(fields, user), Outcome())
    require("core.users.update")
    outcome = submit_update(spec, user, fields, request.form)
    if not outcome.ok:
        return _render_user(user, fields, request.form, outcome)
    flash(_("Changes saved."), "success")
    return redirect(url_for("admin.users"))


def _render_user(user: User, fields: list[FieldInfo], form: MultiDict, outcome: Outcome):
    return render_template(
        "admin/user.html", user=user, fields=fields, form=form, errors=outcome.errors,
        can_update=can("core.users.update"), is_self=user.id == current_user.id,
        can_invite=can("core.users.create") and user.is_active and user.password_hash is None,
    ), outcome.status


@bp.route("/users/<uuid:user_id>/active", methods=["POST"])
@login_required
def user_active(user_id: uuid.UUID):
    """Deactivate (every session and token of theirs stops at once) or reactivate a user."""
    spec, user = admin_record(USERS, user_id, "update")
    active = request.form.get("active") == "true"
    if user.id == current_user.id and not active:
        flash(_("You cannot deactivate yourself."), "danger")
    else:
        update_record(spec, user, {"is_active": active})
        flash(_("%(email)s was reactivated.", email=user.email) if active
              else _("%(email)s was deactivated.", email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))
