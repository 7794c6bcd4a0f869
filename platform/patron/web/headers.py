"""Security headers on every response, in one small after-request hook.

Every response says ``nosniff``, may not be framed (``X-Frame-Options`` and the CSP's
``frame-ancestors``) and sends its address only to this site (``Referrer-Policy``); HTTPS
deployments (secure cookies) add HSTS. Pages get a Content-Security-Policy that runs scripts
from this site only, plus the inline scripts the page marks with its nonce
(``<script nonce="{{ csp_nonce() }}">``); no inline handlers (``onclick=``), whose jobs
``patron.js`` does from data attributes. Styles may be inline (htmx and Bootstrap set some).
A header a view set itself (a download's stricter policy) is kept.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request

#: The policy of pages; ``{nonce}`` is the request's. (Fonts and images may be data: URLs: the
#: calendar's icon font is one, and nothing in such a file runs.)
PAGE_POLICY = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
               "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'")
#: Everything else (JSON, files): nothing runs, nothing frames it.
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'"
#: The vendored Swagger UI's page starts it with an inline script of flask-smorest's.
API_DOCS_POLICY = PAGE_POLICY.replace("'nonce-{nonce}'", "'unsafe-inline'")
API_DOCS_ENDPOINT = "api-docs.openapi_swagger_ui"
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """The request's script nonce (a template global), made when first asked for."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def add_security_headers(response: Response) -> Response:
    """Set the headers above on ``response`` where it has none of its own."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        policy = (API_DOCS_POLICY if request.endpoint == API_DOCS_ENDPOINT
                  else PAGE_POLICY.format(nonce=csp_nonce()))
    else:
        policy = OTHER_POLICY
    headers.setdefault("Content-Security-Policy", policy)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def install_security_headers(app: Flask) -> None:
    """Add the headers to every response of ``app`` and give templates ``csp_nonce()``."""
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
