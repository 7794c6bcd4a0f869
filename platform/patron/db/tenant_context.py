"""The current tenant, carried in a context variable into ORM scoping, RLS and hooks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current_tenant: ContextVar[uuid.UUID | None] = ContextVar("patron_tenant", default=None)


class TenantContextMissing(RuntimeError):
    """A tenant-owned query, write, job or event ran with no tenant in context.

    Failing closed is deliberate: as django-tenants puts it, refusing to run is "better than
    corrupting or revealing data".
    """


def current_tenant_id() -> uuid.UUID | None:
    """Return the id of the tenant the current request or job works for, if any."""
    return _current_tenant.get()


def require_tenant_id() -> uuid.UUID:
    """Return the current tenant id or raise :class:`TenantContextMissing`."""
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        raise TenantContextMissing("no tenant in context")
    return tenant_id


def set_current_tenant(tenant_id: uuid.UUID | None) -> None:
    """Make ``tenant_id`` the current tenant for the rest of this request or job."""
    _current_tenant.set(tenant_id)


@contextmanager
def tenant_context(tenant_id: uuid.UUID | None) -> Iterator[None]:
    """Run a block for one tenant (or, with ``None``, for none), restoring the previous one."""
    token = _current_tenant.set(tenant_id)
    try:
        yield
    finally:
        _current_tenant.reset(token)


def enter_request() -> object:
    """Start a request or job with no tenant; returns the token for :func:`leave_request`."""
    return _current_tenant.set(None)


def leave_request(token: object) -> None:
    """Restore the tenant context that was current before :func:`enter_request`."""
    _current_tenant.reset(token)
