"""A tenant's configuration shared between the requests of one process, read again after
any change to it — in this process or another.

Every request needs some of its tenant's configuration: the enabled modules (search, the
360° view, every write), the custom-field definitions (every list, read and write of an
entity that has them), the active webhooks (every write). Read per request, that is a
statement or two each time; issue 6 asks for it O(1) and cached with correct invalidation.

How it stays correct across gunicorn workers and machines without a message bus: the
``tenants`` row carries a ``config_version`` that every insert, update or delete of a
configuration row bumps *in the same transaction* (:func:`versioned_config`). Sign-in
already reads the tenant row (the token statement joins it, the session loader gets it by
primary key), so the version comes free with every request. Entries are keyed by
``(namespace, tenant, version, key)``: a committed change moves the tenant to a new version
and the next request of any process loads afresh; old versions age out of the bounded LRU.

A context that changed configuration itself, or knows no version (a job, the CLI), uses the
per-context :mod:`patron.context_cache` instead, so uncommitted rows are never shared.
Cached values must be immutable (frozensets, tuples, frozen dataclasses): every request
of the process shares them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app, g, has_app_context
from sqlalchemy import column, event, table, update

from patron.context_cache import cached
from patron.db.tenant_context import current_tenant_id

T = TypeVar("T")
#: Entries kept per process: a few per active tenant; old versions fall out first.
LIMIT = 4096
CHANGED = "_patron_config_changed"
VERSIONS = "_patron_config_versions"
#: The two columns of ``tenants`` this module reads and bumps. The table belongs to
#: :mod:`patron.tenancy`, a layer above the kernel: naming the columns here keeps the kernel
#: from importing the domain (the version is handed in by :func:`remember_config_version`).
TENANT_VERSIONS = table("tenants", column("id"), column("config_version"))

_entries: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def shared_cached(namespace: str, key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s result for ``key`` in ``namespace`` for the current tenant's
    configuration version, shared by every request of this process.

    Falls back to :func:`patron.context_cache.cached` when the tenant's version is not known
    in this context or this context has changed configuration.
    """
    tenant_id = current_tenant_id()
    version = g.get(VERSIONS, {}).get(tenant_id) if has_app_context() else None
    if version is None or g.get(CHANGED):
        return cached(namespace, (tenant_id, key), load)
    # The application is part of the key: apps of one process (tests, benchmarks) may load
    # different plugins over the same tenants.
    full_key = (id(current_app._get_current_object()), namespace, tenant_id, version, key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return _entries[full_key]
    value = load()
    with _lock:
        _entries[full_key] = value
        while len(_entries) > LIMIT:
            _entries.popitem(last=False)
    return value


def remember_config_version(tenant_id: object, version: int) -> None:
    """Sign-in read the tenant's row: its configuration version is what this context's
    :func:`shared_cached` entries are keyed by."""
    g.setdefault(VERSIONS, {})[tenant_id] = version


def forget_all() -> None:
    """Drop every entry of this process (a test kit lending one app to many tests)."""
    with _lock:
        _entries.clear()


def versioned_config(model: type) -> None:
    """Make every insert, update or delete of a ``model`` row (tenant-owned) move its
    tenant to a new configuration version, in the change's own transaction."""
    tenants = TENANT_VERSIONS

    def _changed(_mapper, connection, target) -> None:
        connection.execute(update(tenants).where(tenants.c.id == target.tenant_id)
                           .values(config_version=tenants.c.config_version + 1))
        if has_app_context():
            g.setdefault(CHANGED, True)

    for name in ("after_insert", "after_update", "after_delete"):
        event.listen(model, name, _changed)
