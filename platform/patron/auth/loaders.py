"""How a request becomes a user and a tenant: the session cookie, a bearer token, or (for the
calendar feed only) the feed's key in its address.

Loading the user is also what sets the tenant context; a tenant named in a header or query
string is never consulted (issue 2, item 11).
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import LoginManager

from patron.auth.calendar_keys import calendar_key_user
from patron.auth.sessions import load_session_user
from patron.auth.tokens import authenticate_token
from patron.errors import problem

#: The one page a calendar feed key opens.
FEED_ENDPOINT = "calendar.calendar_feed"


def _request_user(req):
    """A bearer token's user; on the calendar feed, the user its key belongs to."""
    if req.endpoint == FEED_ENDPOINT and req.view_args:
        return calendar_key_user(str(req.view_args.get("key", "")))
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return authenticate_token(header.removeprefix("Bearer ").strip())


def _unauthorized():
    if request.path.startswith("/api/"):
        return problem(401, "Sign in or send a valid bearer token.")
    return redirect(url_for("web.login", next=request.full_path))


def install(login_manager: LoginManager) -> None:
    """Register the loaders and the 401 / login-redirect handler."""
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(_request_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = None  # sessions are server-side and revocable
