"""Sign-in, sign-out, the language switch and the home page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from patron.auth.login import sign_in
from patron.auth.sessions import revoke_session, start_session
from patron.auth.throttling import AccountLocked
from patron.extensions import limiter
from patron.i18n import LOCALES
from patron.records.operations import update_record
from patron.records.spec import spec_for
from patron.web.forms import LoginForm, LogoutForm
from patron.web.home import home_page
from patron.web.templating import install_template_helpers

bp = Blueprint("web", __name__)
install_template_helpers(bp)


def local_target(target: str | None, default: str) -> str:
    r"""``target`` if it is a path on this site, else ``default``: the one check of every
    redirect to a URL a request names (``?next=``).

    A browser reads a URL more loosely than ``urlsplit`` does: it drops tabs and newlines
    anywhere and takes a backslash for a slash, so ``/<tab>/evil.example`` and
    ``/\evil.example`` lead to another host. The target is read as a browser would; anything
    with a control character, a scheme or a host, or not starting with one slash, is refused.
    """
    if not target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return default
    as_browsers_read = target.replace("\\", "/")
    parts = urlsplit(as_browsers_read)
    if (parts.scheme or parts.netloc or not as_browsers_read.startswith("/")
            or as_browsers_read.startswith("//")):
        return default
    return target


def _failed_login(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: _login_limit(), methods=["POST"], deduct_when=_failed_login)
def login():
    """The sign-in page; a failed attempt answers 401 and counts towards the rate limit."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = sign_in(form.tenant.data, form.email.data, form.password.data,
                           interface="web")
        except AccountLocked as error:
            flash(_("Too many wrong passwords for this account: try again in %(minutes)d "
                    "minutes.", minutes=error.minutes), "danger")
            return render_template("login.html", form=form), 429
        if user is not None:
            session.clear()  # a new session id at every login
            start_session(user, remember=form.remember.data)
            login_user(user, remember=form.remember.data)
            return redirect(local_target(request.args.get("next"), url_for("web.home")))
        flash(_("Wrong organisation, e-mail or password."), "danger")
        return render_template("login.html", form=form), 401
    return render_template("login.html", form=form)


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["PATRON_LOGIN_RATE_LIMIT"]


@bp.route("/logout", methods=["POST"])
def logout():
    """End this session (its row is revoked, so a copy of the cookie stops working too)."""
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        revoke_session(current_user.session_id)
        logout_user()
    return redirect(url_for("web.login"))


@bp.route("/")
@login_required
def home():
    """The signed-in user's start page: their widgets (:mod:`patron.web.home`)."""
    return home_page()


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the language: stored on the user (``User.locale``), or in the session before
    signing in."""
    locale = request.form.get("locale")
    if locale not in LOCALES:
        abort(400)
    if current_user.is_authenticated:
        update_record(spec_for("users"), current_user._get_current_object(), {"locale": locale})
    else:
        session["locale"] = locale
    return redirect(local_target(request.form.get("next"), url_for("web.home")))
