"""Pages anyone may open without signing in: a hosted web form, a survey, an unsubscribe
link, a support form (``/f/<key>``, ``/s/<key>``, ``/u/<token>``, ``/t/<slug>/support``).

Such a page must find its tenant from the URL before it reads anything (the ORM scoping and
PostgreSQL's row-level security both need it), answer 404 for a tenant that is suspended or
has not enabled the module, and limit how often one client may post. :func:`public_page`
does all three; the key in the URL carries its tenant in clear (:func:`public_key`), so the
record it names is then looked up like any other, inside that tenant.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any

from flask import abort, current_app

from patron.auth.secrets import tenant_of
from patron.db import require_tenant_id
from patron.db.tenant_context import set_current_tenant
from patron.extensions import limiter
from patron.plugins.services import is_enabled
from patron.tenancy.models import Tenant
from patron.tenancy.services import active_tenant, tenant_by_slug

#: Posts one client may make to a public page unless a setting says otherwise.
DEFAULT_RATE_LIMIT = "10 per minute"


def public_key(kind: str) -> str:
    """A new key for a public URL of the current tenant: ``<kind>_<tenant hex>_<random>``
    (``kind`` is a few letters naming what it opens, e.g. ``frm`` for web forms)."""
    return f"{kind}_{require_tenant_id().hex}_{secrets.token_urlsafe(16)}"


def _tenant(arg: str, kind: str | None) -> Tenant | None:
    if kind is None:
        tenant = tenant_by_slug(arg)
        return tenant if tenant is not None and tenant.is_active else None
    tenant_id = tenant_of(kind, arg)
    return active_tenant(tenant_id) if tenant_id is not None else None


def public_page(module: str, *, arg: str, kind: str | None = None,
                rate_limit_setting: str | None = None,
                limited_methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Decorate a view (below its ``route``) that anyone may open.

    The view argument ``arg`` names the tenant: a key made by :func:`public_key` with this
    ``kind``, or, with ``kind=None``, the tenant's slug. The tenant becomes the current one
    and is passed to the view as ``tenant``; an unknown or suspended tenant, or one that has
    not enabled ``module``, answers 404. Requests of ``limited_methods`` are rate-limited per
    client address by the setting ``rate_limit_setting`` (default
    :data:`DEFAULT_RATE_LIMIT`; flask-limiter notation).
    """
    def limit() -> str:
        config = current_app.config
        return config.get(rate_limit_setting, DEFAULT_RATE_LIMIT) if rate_limit_setting else (
            DEFAULT_RATE_LIMIT)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def public_view(*args: Any, **kwargs: Any):
            tenant = _tenant(str(kwargs[arg]), kind)
            if tenant is None:
                abort(404)
            set_current_tenant(tenant.id)
            if not is_enabled(module):
                abort(404)
            return view(*args, tenant=tenant, **kwargs)

        return limiter.limit(limit, methods=list(limited_methods))(public_view)

    return decorate
