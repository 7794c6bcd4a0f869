"""Under row-level security PostgreSQL lets an index serve a condition only if its operator
is LEAKPROOF: ``patron db mark-leakproof`` (a superuser's opt-in) is what lets the
application role's searches and custom-field filters use their GIN indexes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import text

from patron.console import cli
from patron.db import db as database
from patron.db.migrations import migration_engine
from patron.testing.fixtures import in_tenant

#: What the two indexed conditions look like, and the GIN index each should use.
SEARCH = ("SELECT id FROM search_documents "
          "WHERE search_vector @@ to_tsquery('simple', 'company4242:*')")
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


def test_marked_operators_let_the_app_role_use_the_gin_indexes(app, auth, tenant, monkeypatch):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row-level security exists on PostgreSQL only")
    with in_tenant(app, tenant):  # enough rows that an index beats reading them all
        database.session.execute(text(
            "INSERT INTO search_documents (tenant_id, id, entity, record_id, title, content, "
            "keywords, updated_at) SELECT :tenant, gen_random_uuid(), 'account', "
            "gen_random_uuid(), 'Company' || n, '', '', now() FROM generate_series(1, :rows) n"
        ), {"tenant": tenant.id, "rows": ROWS})
        database.session.execute(text(
            "INSERT INTO accounts (tenant_id, id, kind, name, status, addresses, custom, "
            "created_at, updated_at, version) SELECT :tenant, gen_random_uuid(), 'company', "
            "'A' || n, "
            "'prospect', '[]'::jsonb, jsonb_build_object('tier', 'tier' || n), now(), now(), 1 "
            "FROM generate_series(1, :rows) n"), {"tenant": tenant.id, "rows": ROWS})
    with app.app_context():  # statistics, as the tables' owner
        owner = migration_engine()
        with owner.begin() as connection:
            connection.execute(text("ANALYZE search_documents"))
            connection.execute(text("ANALYZE accounts"))
        owner.dispose()
    assert "@@" not in index_conditions(app, tenant, SEARCH)
    assert "@>" not in index_conditions(app, tenant, CUSTOM)

    with monkeypatch.context() as patch:  # the application role may not do it
        patch.setitem(app.config, "PATRON_MIGRATION_DATABASE_URL",
                      app.config["SQLALCHEMY_DATABASE_URI"])
        refused = db_command(app, "mark-leakproof")
    assert refused.exit_code == 1 and "only a PostgreSQL superuser" in refused.output
    marked = db_command(app, "mark-leakproof")
    assert marked.exit_code == 0 and "jsonb_contains" in marked.output, marked.output

    assert "@@" in index_conditions(app, tenant, SEARCH)
    assert "@>" in index_conditions(app, tenant, CUSTOM)
