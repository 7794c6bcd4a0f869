"""Automatic tenant scoping of the ORM (DESIGN.md invariant 1, first of three guards).

Every SELECT, UPDATE and DELETE that touches a :class:`~patron.db.mixins.TenantScoped` model
gets ``tenant_id = <current tenant>`` added through ``with_loader_criteria`` (the recipe of
SQLAlchemy's ``examples/extending_query/filter_public.py``). With no tenant in context such a
statement raises :class:`TenantContextMissing` unless it was explicitly marked
``execution_options(all_tenants=True)`` (operator tooling only). Flushes get the same guard:
new rows take the current tenant, and a row of another tenant cannot be written.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlalchemy import Table, event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql import visitors

from patron.db.mixins import TenantScoped
from patron.db.postgres import sync_rls_tenant
from patron.db.tenant_context import TenantContextMissing, current_tenant_id

_tables_cache: dict[int, frozenset[Table]] = {}


def _tenant_tables() -> frozenset[Table]:
    """Tables of tenant-owned models (recomputed only when plugins map new models)."""
    mappers = TenantScoped.registry.mappers
    if len(mappers) not in _tables_cache:
        _tables_cache.clear()
        _tables_cache[len(mappers)] = frozenset(
            m.local_table for m in mappers if issubclass(m.class_, TenantScoped)
        )
    return _tables_cache[len(mappers)]


def _touches_tenant_rows(state: ORMExecuteState) -> bool:
    """Whether the statement reads or writes a tenant table anywhere, subqueries included.

    ``all_mappers`` alone misses Core constructs around ORM columns (``exists()``,
    ``select(func.count()).select_from(Model)``), so the statement is also searched for the
    tables themselves.
    """
    if any(issubclass(m.class_, TenantScoped) for m in state.all_mappers):
        return True
    tenant_tables = _tenant_tables()
    return any(
        isinstance(element, Table) and element in tenant_tables
        for element in visitors.iterate(state.statement)
    )


def add_tenant_criteria(state: ORMExecuteState) -> None:
    """``do_orm_execute`` hook: scope the statement to the current tenant or fail closed."""
    sync_rls_tenant(state.session)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get("all_tenants"):
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        if _touches_tenant_rows(state):
            raise TenantContextMissing("tenant-owned query with no tenant in context")
        return
    # With a tenant in context the option goes on every statement: it limits only the
    # tenant-owned entities, and finding out first whether there are any cost more than
    # adding it (issue 6).
    state.statement = state.statement.options(tenant_criteria(tenant_id))


@lru_cache(maxsize=4096)
def tenant_criteria(tenant_id: uuid.UUID) -> LoaderCriteriaOption:
    """The option that limits every tenant-owned entity of a statement to ``tenant_id``.

    Made once per tenant and process: building it analyses the lambda again each time, which
    cost more than a tenth of a simple request (issue 6). The option is immutable and holds
    only this tenant's id, so every statement of the tenant can share it.
    """
    # tenant_id is captured as a plain value so the lambda caches as a bound parameter
    # (SQLAlchemy issue #5760).
    return with_loader_criteria(
        TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
    )


def guard_flush(session: Session, flush_context, instances) -> None:
    """``before_flush`` hook: stamp new rows with the tenant and refuse cross-tenant writes."""
    tenant_id = current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            raise TenantContextMissing(f"cannot insert {type(obj).__name__} with no tenant")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantContextMissing(f"{type(obj).__name__} belongs to another tenant")
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant_id:
            raise TenantContextMissing(f"{type(obj).__name__} belongs to another tenant")


def install_tenant_scoping(session_class: type[Session] | Session) -> None:
    """Attach the scoping hooks to a session class or session factory."""
    if not event.contains(session_class, "do_orm_execute", add_tenant_criteria):
        event.listen(session_class, "do_orm_execute", add_tenant_criteria)
        event.listen(session_class, "before_flush", guard_flush)
