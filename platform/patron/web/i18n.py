"""Locale and timezone selection: the user's choice, then the tenant's, then the browser's."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_login import current_user

from patron.db import current_tenant_id
from patron.i18n import LOCALES
from patron.tenancy.services import active_tenant


def select_locale() -> str:
    """Flask-Babel locale selector.

    A signed-in user's choice is stored on the user (``User.locale``); before signing in, the
    language switch keeps the choice in the session. Outside a request (the command line, a
    job) it is the tenant's, else English.
    """
    if not has_request_context():
        return _tenant_locale() or "en"
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    if not current_user.is_authenticated and session.get("locale") in LOCALES:
        return session["locale"]
    return _tenant_locale() or request.accept_languages.best_match(LOCALES) or "en"


def _tenant_locale() -> str | None:
    tenant_id = current_tenant_id()
    tenant = active_tenant(tenant_id) if tenant_id else None
    return tenant.locale if tenant is not None and tenant.locale in LOCALES else None


def select_timezone() -> str:
    """Flask-Babel timezone selector: the tenant's timezone."""
    tenant_id = current_tenant_id()
    tenant = active_tenant(tenant_id) if tenant_id else None
    return tenant.timezone if tenant is not None else "UTC"
