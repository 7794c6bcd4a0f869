"""How a request becomes a user and a tenant: the session cookie or a bearer token.

Loading the user is also what sets the tenant context; a tenant named in a header or query
string is never consulted (issue 2, item 11).
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import LoginManager

from patron.auth.sessions import load_session_user
from patron.auth.tokens import authenticate_token
from patron.errors import problem


def _bearer_user(req):
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
    login_manager.request_loader(_bearer_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = None  # sessions are server-side and revocable
