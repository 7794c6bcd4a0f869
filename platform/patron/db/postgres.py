"""PostgreSQL row-level security: the backstop behind ORM scoping (DESIGN.md invariant 1).

Every tenant-owned table gets ``ENABLE`` + ``FORCE ROW LEVEL SECURITY`` and one policy
comparing ``tenant_id`` with the per-transaction setting ``patron.tenant_id``. The setting is
made with ``set_config(..., is_local => true)`` (``SET LOCAL``) at the start of every
transaction and again whenever the tenant context changes inside one, so it never outlives the
transaction and a pooled connection carries nothing over to the next request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    column,
    event,
    func,
    select,
    text,
)
from sqlalchemy import table as table_clause
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from patron.db.tenant_context import current_tenant_id

SETTING = "patron.tenant_id"
POLICY = "tenant_isolation"
#: The ``tenants`` row a transaction may write: its own tenant's.
OWN_TENANT = f"id = NULLIF(current_setting('{SETTING}', true), '')::uuid"
#: Security-definer functions of the table owner that the application role may call, and
#: nobody else (they read a table the owner is not bound on: see ``rls_owner_reads``).
OWNER_FUNCTIONS = (
    "patron_search_matches(tsquery)", "patron_search_titles(text)",
    "patron_outbox_claim(timestamp with time zone, timestamp with time zone, integer)",
)


def _protect_tenants(connection: Connection) -> None:
    """Row-level security on ``tenants``: every row may be read (sign-in, public pages and
    the worker find a tenant by slug or key before any tenant is current, and the row holds
    only its name, slug, locale, time zone, currency, plan and status), but a transaction
    inserts, updates or deletes only the row of its current tenant, so a compromised request
    of one tenant cannot rename, suspend or re-plan another. Provisioning and the tenant
    commands make the tenant current before they write it."""
    connection.execute(text("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY"))
    connection.execute(text("ALTER TABLE tenants FORCE ROW LEVEL SECURITY"))
    for policy in ("tenant_reads", POLICY):
        connection.execute(text(f"DROP POLICY IF EXISTS {policy} ON tenants"))
    connection.execute(text("CREATE POLICY tenant_reads ON tenants FOR SELECT USING (true)"))
    connection.execute(text(f"CREATE POLICY {POLICY} ON tenants USING ({OWN_TENANT}) "
                            f"WITH CHECK ({OWN_TENANT})"))


class UnsafeDatabaseRole(RuntimeError):
    """The application's PostgreSQL role could bypass row-level security."""


def is_postgres(bind: Connection | Engine | Session) -> bool:
    """Return whether ``bind`` talks to PostgreSQL."""
    return bind.get_bind().dialect.name == "postgresql" if isinstance(bind, Session) else (
        bind.dialect.name == "postgresql"
    )


def _set_tenant(connection: Connection, session: Session) -> None:
    tenant_id = current_tenant_id()
    connection.execute(
        text("SELECT set_config(:name, :value, true)"),
        {"name": SETTING, "value": str(tenant_id) if tenant_id else ""},
    )
    session.info["rls_tenant"] = tenant_id


def _after_begin(session: Session, transaction, connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        _set_tenant(connection, session)


def sync_rls_tenant(session: Session) -> None:
    """Re-issue the tenant setting if the context changed since the transaction began."""
    if session.in_transaction() and session.info.get("rls_tenant", False) != current_tenant_id():
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            _set_tenant(connection, session)


def _before_flush(session: Session, flush_context, instances) -> None:
    sync_rls_tenant(session)


def install_rls_setting(session_class) -> None:
    """Attach the per-transaction ``SET LOCAL`` hooks to a session class or factory."""
    if not event.contains(session_class, "after_begin", _after_begin):
        event.listen(session_class, "after_begin", _after_begin)
        event.listen(session_class, "before_flush", _before_flush)


def tenant_tables(metadata: MetaData) -> list[Table]:
    """Tables owned by a tenant: those with a ``tenant_id`` column."""
    return [t for t in metadata.sorted_tables if "tenant_id" in t.c]


def apply_rls(connection: Connection, metadata: MetaData, app_role: str | None) -> None:
    """Enable and force RLS with the tenant policy on every tenant table; grant the app role
    its tables and :data:`OWNER_FUNCTIONS`.

    Idempotent: ``patron db upgrade`` runs it after the migrations, so a plugin's new tables
    are covered the moment they exist.
    """
    existing = set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    for table in tenant_tables(metadata):
        if table.name not in existing:
            continue
        name = connection.dialect.identifier_preparer.quote(table.name)
        same_tenant = f"tenant_id = NULLIF(current_setting('{SETTING}', true), '')::uuid"
        connection.execute(text(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"))
        # A table read across tenants only through its owner's security-definer functions
        # (search_documents, see patron.db.fulltext; the outbox's claim, see
        # patron.events.worker) binds everybody but its owner: Table(info={"rls_owner_reads"}).
        force = "NO FORCE" if table.info.get("rls_owner_reads") else "FORCE"
        connection.execute(text(f"ALTER TABLE {name} {force} ROW LEVEL SECURITY"))
        connection.execute(text(f"DROP POLICY IF EXISTS {POLICY} ON {name}"))
        connection.execute(
            text(f"CREATE POLICY {POLICY} ON {name} USING ({same_tenant}) "
                 f"WITH CHECK ({same_tenant})")
        )
    if "tenants" in existing:
        _protect_tenants(connection)
    if app_role:
        role = connection.dialect.identifier_preparer.quote(app_role)
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        connection.execute(
            text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        )
        for function in OWNER_FUNCTIONS:
            if connection.execute(text("SELECT to_regprocedure(:f)"), {"f": function}).scalar():
                connection.execute(text(f"GRANT EXECUTE ON FUNCTION {function} TO {role}"))


#: The system functions behind the indexed operators Patron filters with under row-level
#: security: ``@>`` (custom-field equality, :func:`patron.db.json_ops.json_contains_value`).
#: PostgreSQL lets an index serve a condition only when its function is LEAKPROOF, and this
#: one is not. (Global search needs no such opt-in: it matches inside the owner's functions,
#: see :mod:`patron.db.fulltext`.)
INDEXED_OPERATOR_FUNCTIONS = ("jsonb_contains(jsonb, jsonb)",)


class NotSuperuser(PermissionError):
    """Only a PostgreSQL superuser may mark a function LEAKPROOF."""


def mark_operators_leakproof(connection: Connection) -> list[str]:
    """Mark :data:`INDEXED_OPERATOR_FUNCTIONS` LEAKPROOF in this database, so the
    application role's custom-field filters use their GIN index; returns the
    functions marked.

    Patron never does this on its own (it changes system functions): an operator opts in
    with ``patron db mark-leakproof``. None of these functions reveals anything of the rows
    it reads: they raise no error that depends on row data.
    """
    superuser = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    if not superuser:
        raise NotSuperuser("only a PostgreSQL superuser may mark functions LEAKPROOF: run this "
                           "with PATRON_MIGRATION_DATABASE_URL naming a superuser")
    for function in INDEXED_OPERATOR_FUNCTIONS:
        connection.execute(text(f"ALTER FUNCTION pg_catalog.{function} LEAKPROOF"))
    return list(INDEXED_OPERATOR_FUNCTIONS)


def role_of(url: str) -> str | None:
    """The user name in a database URL (the role the app connects as)."""
    return make_url(url).username


def _custom_plans(dbapi_connection, connection_record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def install_custom_plans(engine: Engine) -> None:
    """Plan every statement of ``engine`` for its own parameters, prepared or not.

    psycopg prepares a statement on the server after a few executions, and PostgreSQL then
    soon settles on a *generic* plan, one made without the parameter values. Every Patron
    query names its tenant, and a generic plan reckons with an average tenant: for a tenant
    with a hundred thousand contacts it chose plans that read most of them (a list page went
    from 0.6 ms to 13-20 ms after its tenth run; bench/RESULTS.md). Tenant sizes are skewed
    by nature in a multi-tenant database, so the planner gets the values every time; the
    cost is planning each statement (a fraction of a millisecond), the parse is still saved.
    """
    if is_postgres(engine) and not event.contains(engine, "connect", _custom_plans):
        event.listen(engine, "connect", _custom_plans)


_PLAN_CACHE_MODE = text("SELECT set_config('plan_cache_mode', :mode, true)")


@contextmanager
def generic_plans(session: Session) -> Iterator[None]:
    """Let PostgreSQL plan the statements of the block once, against
    :func:`install_custom_plans`, for the rest of the transaction's block.

    For a batch ``INSERT`` (one prepared statement executed per row) a plan has nothing to
    weigh, and planning each row again doubled its cost: 20,000 audit rows took 0.9-1.1 s
    instead of 0.5 s. Nothing on other databases. An error inside the block aborts the
    transaction, whose rollback restores the mode.
    """
    if not is_postgres(session):
        yield
        return
    session.execute(_PLAN_CACHE_MODE, {"mode": "auto"})
    yield
    session.execute(_PLAN_CACHE_MODE, {"mode": "force_custom_plan"})


def check_app_role(engine: Engine) -> None:
    """Refuse to run as a role that bypasses RLS or could switch it off: a superuser, one
    with ``BYPASSRLS``, or the owner of the tables (who may ``ALTER TABLE … DISABLE ROW
    LEVEL SECURITY`` and is not bound on the tables its functions read)."""
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT rolname, rolsuper, rolbypassrls, EXISTS (SELECT 1 FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'tenants' "
            "AND tableowner = current_user) AS owner FROM pg_roles WHERE rolname = current_user"
        )).one()
    why = ("is a superuser" if row.rolsuper else "has BYPASSRLS" if row.rolbypassrls
           else "owns the tables" if row.owner else None)
    if why:
        engine.dispose()
        raise UnsafeDatabaseRole(
            f"the application connects to PostgreSQL as {row.rolname!r}, which {why} and "
            "could bypass row-level security; connect as a plain role that owns nothing "
            "(see README, 'Deployment')"
        )


#: The tenants' ids, for data migrations (the table belongs to :mod:`patron.tenancy`).
_TENANT_IDS = table_clause("tenants", column("id"))


def tenants_in_turn(connection: Connection) -> Iterator[uuid.UUID]:
    """Every tenant's id, one at a time, with the row-level-security setting naming it while
    the caller works on its rows: a data migration run by the table owner under ``FORCE ROW
    LEVEL SECURITY`` sees and writes that tenant's rows only. The setting is cleared at the
    end. On SQLite (no RLS) it only yields the ids."""
    tenant_ids = connection.execute(select(_TENANT_IDS.c.id)).scalars().all()
    postgres = is_postgres(connection)
    for tenant_id in tenant_ids:
        if postgres:
            connection.execute(select(func.set_config(SETTING, str(tenant_id), True)))
        yield tenant_id
    if postgres:
        connection.execute(select(func.set_config(SETTING, "", True)))
