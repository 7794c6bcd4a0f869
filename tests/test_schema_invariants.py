"""The database refuses cross-tenant references, and (PostgreSQL) RLS is in force.

Checked against the models every installed plugin registers *and* against the migrated
database, so a table whose migration forgot ``tenant_id`` in a key fails here.
"""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from patron.db import db as database
from patron.db.base import Base
from patron.db.postgres import UnsafeDatabaseRole, tenant_tables


def _is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


#: The case-folded indexes exist on PostgreSQL only (patron.customers.models.folded_indexes);
#: Alembic says so when it compares the models with a SQLite database.
NOT_COMPARED = pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression")


@NOT_COMPARED
def test_models_and_migrations_agree(app):
    with app.app_context(), database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_every_tenant_table_leads_its_keys_and_indexes_with_tenant_id(app):
    with app.app_context():
        inspector = inspect(database.engine)
        tables = [t.name for t in tenant_tables(Base.metadata)]
        assert "accounts" in tables and "users" in tables
        for name in tables:
            columns = {c["name"]: c for c in inspector.get_columns(name)}
            assert columns["tenant_id"]["nullable"] is False, name
            assert inspector.get_pk_constraint(name)["constrained_columns"][0] == "tenant_id"
            for unique in inspector.get_unique_constraints(name):
                assert unique["column_names"][0] == "tenant_id", (name, unique)
            for fk in inspector.get_foreign_keys(name):
                if fk["referred_table"] == "tenants":
                    continue
                assert fk["constrained_columns"][0] == "tenant_id", (name, fk)
                assert fk["referred_columns"][0] == "tenant_id", (name, fk)
            marked = {i.name for i in Base.metadata.tables[name].indexes
                      if i.info.get("cross_tenant")}
            for index in inspector.get_indexes(name):
                if index["name"] not in marked:
                    assert index["column_names"][0] == "tenant_id", (name, index)


def test_owner_columns_reference_users_within_the_tenant(app):
    for table in tenant_tables(Base.metadata):
        if "owner_id" in table.c:
            assert any(
                [c.name for c in fk.columns] == ["tenant_id", "owner_id"]
                and fk.referred_table.name == "users"
                for fk in table.foreign_key_constraints
            ), table.name


def test_database_refuses_a_reference_to_another_tenants_row(app, tenant, other_tenant):
    """Even bypassing the ORM guard, the composite foreign key stops it."""
    with app.app_context(), database.engine.begin() as connection:
        if _is_postgres(app):
            connection.execute(text("SELECT set_config('patron.tenant_id', :t, true)"),
                               {"t": str(tenant.id)})
        with pytest.raises(DBAPIError), connection.begin_nested():
            connection.execute(
                text("INSERT INTO accounts (tenant_id, id, name, kind, custom, owner_id, "
                     "version, created_at, updated_at) VALUES (:t, :i, 'x', 'company', "
                     "'{}', :o, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"t": tenant.id, "i": uuid.uuid4(), "o": other_tenant.admin_id},
            )


def test_orm_query_without_tenant_fails_closed(app, tenant):
    from patron.customers.models import Account
    from patron.db import TenantContextMissing

    with app.app_context():
        with pytest.raises(TenantContextMissing):
            database.session.execute(database.select(Account)).all()
        rows = database.session.execute(
            database.select(Account).execution_options(all_tenants=True)
        ).all()
        assert isinstance(rows, list)


def test_emitting_an_event_without_tenant_is_refused(app):
    from patron.db import TenantContextMissing
    from patron.events import emit

    with app.app_context(), pytest.raises(TenantContextMissing):
        emit("account.created", {"id": "x"})


def test_flush_of_another_tenants_row_is_refused(app, tenant, other_tenant):
    from patron.customers.models import Account
    from patron.db import TenantContextMissing, tenant_context

    with app.app_context(), tenant_context(tenant.id):
        database.session.add(Account(name="Smuggled", tenant_id=other_tenant.id))
        with pytest.raises(TenantContextMissing):
            database.session.flush()
        database.session.rollback()


# ---- PostgreSQL: row-level security is the backstop ------------------------------------------


@pytest.fixture
def pg(app):
    if not _is_postgres(app):
        pytest.skip("row-level security exists on PostgreSQL only")
    return app


#: Tables read across tenants only through their owner's security-definer functions, which
#: limit every read to the tenant setting themselves: their owner is not bound (NO FORCE).
OWNER_READS = {"search_documents", "outbox_messages"}


def test_every_tenant_table_has_forced_rls_with_a_policy(pg):
    """Every tenant table has row-level security with a policy, forced on its owner too but
    for the few that say why not (``info["rls_owner_reads"]``)."""
    with pg.app_context(), database.engine.connect() as connection:
        rows = {r.relname: r for r in connection.execute(text(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'"))}
    exempt = {t.name for t in tenant_tables(Base.metadata) if t.info.get("rls_owner_reads")}
    assert exempt == OWNER_READS
    for table in tenant_tables(Base.metadata):
        row = rows[table.name]
        assert row.relrowsecurity and row.policies >= 1, table.name
        assert row.relforcerowsecurity is (table.name not in OWNER_READS), table.name


def test_raw_sql_without_tenant_sees_no_rows_and_cannot_cross_insert(pg, auth, tenant,
                                                                       other_tenant):
    auth.api(tenant).post("/accounts", json={"name": "Visible to acme only"})
    with pg.app_context(), database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM accounts")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 0
        connection.rollback()
        connection.execute(text("SELECT set_config('patron.tenant_id', :t, true)"),
                           {"t": str(tenant.id)})
        assert connection.execute(text("SELECT count(*) FROM accounts")).scalar() == 1
        with pytest.raises(DBAPIError, match="row-level security"):
            connection.execute(
                text("INSERT INTO roles (tenant_id, id, key, name, description, permissions, "
                     "scopes, default_scope, is_system, version, created_at, updated_at) "
                     "VALUES (:t, :i, 'x', 'x', '', '[]', '{}', 'own', false, 1, now(), now())"),
                {"t": other_tenant.id, "i": uuid.uuid4()},
            )
        connection.rollback()


def test_pool_of_one_does_not_carry_a_tenant_to_the_next_request(pg, test_database, tmp_path,
                                                                   tenant):
    from patron.testing.fixtures import Auth, build_app

    single = build_app(test_database, tmp_path / "single",
                       SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    api = Auth(single, single.test_client()).api(tenant)
    assert api.post("/accounts", json={"name": "Pooled"}).status_code == 201
    assert api.get("/accounts").status_code == 200
    with single.app_context():
        with database.engine.connect() as connection:  # the same, single connection
            assert connection.execute(text("SELECT count(*) FROM accounts")).scalar() == 0
            assert connection.execute(
                text("SELECT current_setting('patron.tenant_id', true)")).scalar() in ("", None)
        database.engine.dispose()


def test_app_refuses_to_run_as_a_superuser(pg, test_database, tmp_path):
    from patron import create_app

    with pytest.raises(UnsafeDatabaseRole, match="superuser"):
        create_app({"SQLALCHEMY_DATABASE_URI": test_database.migration_url,
                    "PATRON_HOME": str(tmp_path)})


def test_app_refuses_a_bypassrls_role(pg, test_database, tmp_path):
    from sqlalchemy.engine import make_url

    from patron import create_app

    admin = create_engine(test_database.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP ROLE IF EXISTS patron_bypass"))
        connection.execute(text("CREATE ROLE patron_bypass LOGIN BYPASSRLS PASSWORD 'x'"))
    url = make_url(test_database.app_url).set(username="patron_bypass", password="x")
    try:
        with pytest.raises(UnsafeDatabaseRole, match="BYPASSRLS"):
            create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
                        "PATRON_HOME": str(tmp_path)})
    finally:
        with admin.connect() as connection:
            connection.execute(text("DROP ROLE IF EXISTS patron_bypass"))
        admin.dispose()


def test_every_tenant_owned_model_is_registered_by_its_plugin(app):
    """The harnesses and checks vouch only for registered models; none may hide."""
    from patron.db import TenantScoped
    from patron.plugins.manager import registrations

    with app.app_context():
        registered = set(registrations("patron_register_models"))
    mapped = {m.class_ for m in Base.registry.mappers if issubclass(m.class_, TenantScoped)}
    assert mapped - registered == set()


def test_orm_scoping_covers_exists_counts_and_subqueries(app, tenant, other_tenant):
    """Core constructs around ORM columns are scoped too (they once slipped through)."""
    from sqlalchemy import exists, func, select

    from patron.auth.models import User
    from patron.db import tenant_context

    neighbour = f"admin@{other_tenant.slug}.test"
    with app.app_context(), tenant_context(tenant.id):
        session = database.session
        assert session.execute(select(exists().where(User.email == neighbour))).scalar() is False
        assert session.execute(
            select(select(User.id).where(User.email == neighbour).exists())).scalar() is False
        assert session.execute(select(func.count()).select_from(User)).scalar() == 1
        assert session.execute(select(func.count(User.id))).scalar() == 1
        inner = select(User.id).where(User.email == neighbour).scalar_subquery()
        assert session.execute(select(User.email).where(User.id == inner)).all() == []


def test_app_refuses_the_table_owner(pg, test_database, tmp_path):
    """The owner could switch row-level security off (the repro: it was accepted as the
    application's role although the README says it must not be)."""
    from sqlalchemy.engine import make_url

    from patron import create_app

    admin = create_engine(test_database.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS patron_owner_probe"))
        connection.execute(text("DROP ROLE IF EXISTS patron_owner_probe"))
        connection.execute(text("CREATE ROLE patron_owner_probe LOGIN PASSWORD 'x'"))
        connection.execute(text("CREATE DATABASE patron_owner_probe OWNER patron_owner_probe"))
    url = make_url(test_database.app_url).set(username="patron_owner_probe", password="x",
                                              database="patron_owner_probe")
    owner = create_engine(url)
    try:
        with owner.begin() as connection:
            connection.execute(text("CREATE TABLE tenants (id uuid PRIMARY KEY)"))
        owner.dispose()
        with pytest.raises(UnsafeDatabaseRole, match="owns the tables"):
            create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
                        "PATRON_HOME": str(tmp_path)})
    finally:
        owner.dispose()
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS patron_owner_probe"))
            connection.execute(text("DROP ROLE IF EXISTS patron_owner_probe"))
        admin.dispose()
