"""The benchmark's endpoints run in-process (Flask test client) against a seeded database:
the plan of every query they run (``--explain``), and a cProfile of one (``--profile``).

The app is built exactly as ``patron serve`` builds it (``create_app`` from the ``PATRON_*``
environment of the seeded database), and signed in as the same user, so the queries are the
ones the server runs under load.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from benchdb import PASSWORD, SeedInfo
from sqlalchemy import create_engine, event, text
from workload import ENDPOINTS, Context, UserState

from patron import create_app
from patron.db import db

#: Tables whose every read must go through an index that leads with ``tenant_id``.
TENANT_TABLES = ("accounts", "contacts", "activities", "attachments", "search_documents",
                 "search_documents_fts", "sales_opportunities")
PROFILE_CALLS = 200
#: Verdicts on a plan: an index leading with tenant_id narrowed by the query's own
#: conditions; such an index but only on tenant_id (every row of the tenant is read); a scan.
OK, WHOLE_TENANT, BAD = "ok   ", "ALL-T", "BAD  "
#: Shown where a plan sorts every matching row before it can return the first page.
SORTS_ALL = "SORTS EVERY MATCH"


def patron_app(info: SeedInfo):
    """The app ``patron serve`` would build on the seeded database."""
    os.environ.update(info.environment())
    return create_app()


def signed_in(app, info: SeedInfo, context: Context):
    """A test client and the headers of the tenant admin's bearer token."""
    client = app.test_client()
    response = client.post("/api/v1/auth/token", json={
        "tenant": info.tenant, "email": info.admin_email, "password": PASSWORD})
    return client, {"Authorization": f"Bearer {response.get_json()['token']}"}


def call(client, headers: dict, context: Context, endpoint: str, state: UserState):
    """Send one request of ``endpoint``; returns the response."""
    request = ENDPOINTS[endpoint](context, state)
    url = f"{request.path}?{urlencode(request.params)}" if request.params else request.path
    response = client.open(url, method=request.method, json=request.json,
                           headers={**headers, **request.headers})
    assert response.status_code < 300, (endpoint, response.status_code, response.get_data()[:300])
    if endpoint == "update contact":
        state.version = response.get_json()["version"]
    return response


def first_state(client, headers: dict, context: Context) -> UserState:
    """A simulated user with a contact of its own at its current version."""
    state = UserState(random.Random(2), context.contact_ids[0])
    state.version = client.get(f"/api/v1/contacts/{state.contact_id}",
                               headers=headers).get_json()["version"]
    return state


@contextmanager
def captured(engine) -> Iterator[list[tuple[str, object]]]:
    """Statements and parameters run on ``engine`` inside the block."""
    statements: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def hot_reads(statement: str) -> bool:
    """A SELECT that reads one of :data:`TENANT_TABLES`."""
    return statement.lstrip().upper().startswith("SELECT") and any(
        re.search(rf"\b{table}\b", statement) for table in TENANT_TABLES)


def sqlite_verdict(connection, statement: str, parameters) -> tuple[str, str]:
    """SQLite: every step on a tenant table is a SEARCH whose key starts with tenant_id."""
    plan = [SORTS_ALL if row[3] == "USE TEMP B-TREE FOR ORDER BY" else row[3]
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    steps = [step for step in plan if any(re.search(rf"\b{t}\b", step) for t in TENANT_TABLES)]
    if not all("(tenant_id=" in step or "VIRTUAL TABLE INDEX" in step for step in steps):
        return BAD, " | ".join(plan)
    whole = any(step.endswith("(tenant_id=?)") for step in steps)
    return (WHOLE_TENANT if whole else OK), " | ".join(plan)


def postgres_verdict(connection, statement: str, parameters, tenant_id: str) -> tuple[str, str]:
    """PostgreSQL (as the app role, RLS in force): no sequential scan of a tenant table and
    every index used on one leads with tenant_id."""
    connection.execute(text("SELECT set_config('patron.tenant_id', :t, true)"), {"t": tenant_id})
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}",
                                      parameters).scalar_one()[0]["Plan"]
    leading = dict(connection.execute(text(
        "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]")).all())
    verdicts, notes, whole = [], [], []

    def walk(node: dict) -> None:
        relation = node.get("Relation Name")
        # A bitmap heap scan reads the rows its bitmap index scans (checked below) found.
        if relation in TENANT_TABLES and node["Node Type"] != "Bitmap Heap Scan":
            index = node.get("Index Name")
            ok = index is not None and leading.get(index) == "tenant_id"
            verdicts.append(ok)
            condition = node.get("Index Cond", "")
            whole.append(ok and " AND " not in condition and "tenant_id" in condition)
            notes.append(f"{node['Node Type']} on {relation}" + (f" using {index}" if index
                                                                 else ""))
        if node.get("Node Type") == "Sort":
            notes.append(SORTS_ALL)
        if node.get("Node Type") == "Bitmap Index Scan":
            ok = leading.get(node["Index Name"]) == "tenant_id"
            verdicts.append(ok)
            notes.append(f"Bitmap Index Scan using {node['Index Name']}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    if not all(verdicts):
        return BAD, " | ".join(notes)
    return (WHOLE_TENANT if any(whole) else OK), " | ".join(notes)


def explain_hot_queries(info: SeedInfo, context: Context) -> None:
    """Print, for every read of a tenant table each endpoint runs, whether its plan uses an
    index that leads with ``tenant_id`` (``ok``), uses one but reads every row of the tenant
    through it (``ALL-T``), or scans (``BAD``)."""
    app = patron_app(info)
    client, headers = signed_in(app, info, context)
    state = first_state(client, headers, context)
    engine = create_engine(info.app_url)
    print(f"plans on {info.kind} (as the application's role):")
    with app.app_context():
        app_engine = db.engine
    for endpoint in ENDPOINTS:
        with captured(app_engine) as statements:
            call(client, headers, context, endpoint, state)
        seen = set()
        for statement, parameters in statements:
            if not hot_reads(statement) or statement in seen:
                continue
            seen.add(statement)
            with engine.connect() as connection:
                if info.kind == "postgresql":
                    verdict, plan = postgres_verdict(connection, statement, parameters,
                                                  context.tenant_id)
                else:
                    verdict, plan = sqlite_verdict(connection, statement, parameters)
                connection.rollback()
            first_line = " ".join(statement.split())[:90]
            print(f"  {verdict} {endpoint:16} {first_line}\n        {plan[:300]}")
    engine.dispose()


def profile_endpoint(info: SeedInfo, context: Context, endpoint: str) -> None:
    """cProfile :data:`PROFILE_CALLS` requests of ``endpoint`` and print the top functions."""
    app = patron_app(info)
    client, headers = signed_in(app, info, context)
    state = first_state(client, headers, context)
    call(client, headers, context, endpoint, state)  # warm up
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_CALLS):
        call(client, headers, context, endpoint, state)
    profiler.disable()
    print(f"cProfile of {PROFILE_CALLS} x {endpoint} on {info.kind} ({info.name}):")
    stats = pstats.Stats(profiler)
    print_breakdown(stats)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)


#: Where a request's time goes: label → (file name ending, function) whose cumulative time
#: (outermost calls) is summed. The parts overlap (SQL is inside the view, say).
BREAKDOWN = {
    "whole request (Flask wsgi_app)": [("flask/app.py", "wsgi_app")],
    "  sign-in: token, user, tenant": [("patron/app.py", "load_tenant")],
    "  the view (parsed arguments in, object out)": [
        ("patron/api/resources.py", name) for name in
        ("list_view", "read_view", "create_view", "update_view")] + [
        ("patron/api/customers.py", "account_360"), ("patron/api/search.py", "search_records")],
    "    permission checks and role": [("patron/rbac/access.py", "require")],
    "    domain events (audit, search index, outbox, webhooks)": [
        ("patron/events/dispatch.py", "emit_many")],
    "  arguments: marshmallow load": [("marshmallow/schema.py", "load")],
    "  response: marshmallow dump": [("marshmallow/schema.py", "dump")],
    "  response: JSON encoding": [("flask/json/provider.py", "response")],
    "  commit": [("sqlalchemy/orm/session.py", "commit")],
    "all SQLAlchemy statements (ORM + Core, driver included)": [
        ("sqlalchemy/orm/session.py", "execute"), ("sqlalchemy/orm/session.py", "flush")],
    "  of which in the database driver": [
        ("sqlalchemy/engine/default.py", "do_execute"),
        ("sqlalchemy/engine/default.py", "do_executemany")],
    "rows fetched into objects (SQLite runs its query here)": [
        ("sqlalchemy/engine/result.py", "all")],
}


def print_breakdown(stats: pstats.Stats) -> None:
    """Milliseconds per request spent in each part of :data:`BREAKDOWN`."""
    for label, functions in BREAKDOWN.items():
        seconds = sum(cumulative for (filename, _, name), (_, _, _, cumulative, _)
                      in stats.stats.items()
                      if any(filename.endswith(f) and name == n for f, n in functions))
        print(f"  {label:58} {seconds / PROFILE_CALLS * 1000:7.2f} ms")
