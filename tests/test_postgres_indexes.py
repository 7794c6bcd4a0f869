"""Under row-level security PostgreSQL lets an index serve a condition only if its operator
is LEAKPROOF: ``patron db mark-leakproof`` (a superuser's opt-in) is what lets the
application role's custom-field filters use their GIN index. Global search needs no opt-in:
it matches inside the table owner's functions, which use the GIN indexes and limit every
match to the tenant setting themselves."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import text

from patron.console import cli
from patron.db import db as database
from patron.db.migrations import migration_engine
from patron.testing.fixtures import in_tenant

#: A custom-field filter's condition, and the GIN index it should use.
CUSTOM = "SELECT id FROM accounts WHERE custom @> jsonb_build_object('tier', 'tier4242')"
ROWS = 5000


def db_command(app, *args: str):
    return CliRunner().invoke(cli, ["db", *args], obj=ScriptInfo(create_app=lambda: app))


def index_conditions(app, tenant, query: str) -> str:
    """The index conditions of ``query``'s plan, as the application role in ``tenant``."""
    with in_tenant(app, tenant):
        database.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = database.session.execute(text(f"EXPLAIN {query}")).scalars().all()
    return " ".join(line for line in plan if "Index Cond" in line)


def test_on_sqlite_there_is_nothing_to_mark(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL: see the next test")
    assert "nothing to do" in db_command(app, "mark-leakproof").output


def seed(app, tenant, rows: int = ROWS) -> None:
    """``rows`` search documents and accounts in ``tenant``, enough that an index beats
    reading them all, and fresh statistics (as the tables' owner)."""
    with in_tenant(app, tenant):
        database.session.execute(text(
            "INSERT INTO search_documents (tenant_id, id, entity, record_id, title, content, "
            "keywords, updated_at) SELECT :tenant, gen_random_uuid(), 'account', "
            "gen_random_uuid(), 'Company' || n, '', '', now() FROM generate_series(1, :rows) n"
        ), {"tenant": tenant.id, "rows": rows})
        database.session.execute(text(
            "INSERT INTO accounts (tenant_id, id, kind, name, status, addresses, custom, "
            "created_at, updated_at, version) SELECT :tenant, gen_random_uuid(), 'company', "
            "'A' || n, "
            "'prospect', '[]'::jsonb, jsonb_build_object('tier', 'tier' || n), now(), now(), 1 "
            "FROM generate_series(1, :rows) n"), {"tenant": tenant.id, "rows": rows})
    with app.app_context():
        owner = migration_engine()
        with owner.begin() as connection:
            connection.execute(text("ANALYZE search_documents"))
            connection.execute(text("ANALYZE accounts"))
        owner.dispose()


def test_marked_operators_let_the_app_role_use_the_gin_index(app, auth, tenant, monkeypatch):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row-level security exists on PostgreSQL only")
    seed(app, tenant)
    assert "@>" not in index_conditions(app, tenant, CUSTOM)

    with monkeypatch.context() as patch:  # the application role may not do it
        patch.setitem(app.config, "PATRON_MIGRATION_DATABASE_URL",
                      app.config["SQLALCHEMY_DATABASE_URI"])
        refused = db_command(app, "mark-leakproof")
    assert refused.exit_code == 1 and "only a PostgreSQL superuser" in refused.output
    marked = db_command(app, "mark-leakproof")
    assert marked.exit_code == 0 and "jsonb_contains" in marked.output, marked.output

    assert "@>" in index_conditions(app, tenant, CUSTOM)


MATCHES = "SELECT id FROM patron_search_matches(to_tsquery('simple', 'company4242:*'))"


def test_search_matches_inside_the_owners_functions_with_the_gin_index(app, tenant,
                                                                       other_tenant):
    """The app role's matches come from the owner's functions: only the tenant of the
    setting, nothing without one, and nobody but the app role may call them. Planned as a
    table owner that is not a superuser (as in production), the match is an index condition
    of the GIN index, which it is not while the owner is bound by the policy (FORCE)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row-level security exists on PostgreSQL only")
    seed(app, tenant)
    seed(app, other_tenant, rows=10)
    with in_tenant(app, tenant):
        assert len(database.session.execute(text(MATCHES)).all()) == 1
        titles = "SELECT id FROM patron_search_titles('%ompany424%')"
        assert len(database.session.execute(text(titles)).all()) == 11
    with in_tenant(app, other_tenant):
        assert database.session.execute(text(MATCHES)).all() == []
    with app.app_context(), database.engine.connect() as connection:
        assert connection.execute(text(MATCHES)).all() == [], "no tenant, no match"

    body = ("EXPLAIN SELECT id FROM search_documents WHERE tenant_id = "
            "NULLIF(current_setting('patron.tenant_id', true), '')::uuid "
            "AND search_vector @@ to_tsquery('simple', 'company4242:*')")
    with app.app_context():
        admin = migration_engine()
        with admin.connect() as connection, connection.begin() as transaction:
            connection.execute(text("CREATE ROLE patron_owner_probe NOSUPERUSER"))
            allowed = connection.execute(text(
                "SELECT has_function_privilege(r, 'patron_search_matches(tsquery)', 'EXECUTE')"
                " FROM unnest(ARRAY['patron_app', 'patron_owner_probe']) r")).scalars().all()
            assert allowed == [True, False]
            connection.execute(text("ALTER TABLE search_documents OWNER TO patron_owner_probe"))
            connection.execute(text("SET LOCAL ROLE patron_owner_probe"))
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            connection.execute(text("SELECT set_config('patron.tenant_id', :t, true)"),
                               {"t": str(tenant.id)})
            free = " ".join(connection.execute(text(body)).scalars())
            connection.execute(text("RESET ROLE"))
            connection.execute(text("ALTER TABLE search_documents FORCE ROW LEVEL SECURITY"))
            connection.execute(text("SET LOCAL ROLE patron_owner_probe"))
            bound = " ".join(connection.execute(text(body)).scalars())
            transaction.rollback()
        admin.dispose()
    assert "@@" in free.split("Index Cond", 1)[-1]
    assert "Index Cond" not in bound or "@@" not in bound.split("Index Cond", 1)[-1]


def test_the_app_plans_every_statement_for_its_own_values(app, tenant):
    """Generic plans reckon with an average tenant; the app's connections ask for custom
    plans, whatever psycopg prepares (patron.db.postgres.install_custom_plans)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL's plan cache")
    with in_tenant(app, tenant):
        assert database.session.execute(text("SHOW plan_cache_mode")).scalar() == (
            "force_custom_plan")
