"""``/invitation/<token>``: an invited user chooses a password and is signed in."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from patron.auth.invitations import accept, invited_user
from patron.auth.services import UserError
from patron.auth.sessions import start_session
from patron.web.forms import ChoosePasswordForm
from patron.web.messages import translated

bp = Blueprint("invitations", __name__)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """The password form of a valid invitation; 404 for a link that is no longer valid."""
    user = invited_user(token)
    if user is None:
        abort(404, description=_("This invitation link is no longer valid: ask your "
                                 "administrator for a new one."))
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            accept(user, form.password.data)
        except UserError as error:
            form.password.errors.append(translated(str(error)))
        else:
            session.clear()
            start_session(user)
            login_user(user)
            flash(_("Welcome to Patron, %(name)s.", name=user.name), "success")
            return redirect(url_for("web.home"))
    return render_template("invitation.html", form=form, user=user), (
        422 if form.errors else 200)
