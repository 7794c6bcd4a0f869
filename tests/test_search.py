"""Global search (issue 3, item 6): matching, ranking, permissions, data scopes, tenants,
modules, hostile input and the reindex command, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import delete, event

from patron.console import cli
from patron.testing.fixtures import in_tenant


def search(client, q: str, **params) -> list[dict]:
    response = client.get("/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def titles(client, q: str, **params) -> list[str]:
    return [item["title"] for item in search(client, q, **params)]


def reindex(app, slug: str):
    return CliRunner().invoke(cli, ["search", "reindex", "--tenant", slug],
                              obj=ScriptInfo(create_app=lambda: app))


@pytest.fixture
def admin(auth, tenant):
    return auth.api(tenant)


@pytest.fixture
def accounts(admin) -> dict[str, str]:
    """A few accounts of tenant acme, by name → id."""
    created = {}
    for body in ({"name": "Acme Corporation", "domain": "acme.example",
                  "phone": "+1 (555) 123-4567"},
                 {"name": "Acme Widgets"},
                 {"name": "Globex Corporation", "domain": "globex.example"},
                 {"name": "Zenith Supplies", "domain": "acme-partner.example"}):
        response = admin.post("/accounts", json=body)
        assert response.status_code == 201, response.get_json()
        created[body["name"]] = response.get_json()["id"]
    return created


def test_every_term_matches_as_a_prefix(admin, accounts):
    assert titles(admin, "acm corp") == ["Acme Corporation"]
    assert set(titles(admin, "corp")) == {"Acme Corporation", "Globex Corporation"}
    assert set(titles(admin, "ACME")) >= {"Acme Corporation", "Acme Widgets"}
    assert titles(admin, "acme nothing") == []
    hit = search(admin, "globex corp")[0]
    assert hit == {"entity": "account", "id": accounts["Globex Corporation"],
                   "title": "Globex Corporation", "snippet": "globex.example"}


def test_a_title_match_ranks_above_a_match_in_other_fields(admin, accounts):
    found = titles(admin, "acme")
    assert set(found) == {"Acme Corporation", "Acme Widgets", "Zenith Supplies"}
    assert found[-1] == "Zenith Supplies"  # only its domain says acme
    assert titles(admin, "acme", limit=1) in (["Acme Corporation"], ["Acme Widgets"])


def test_phone_numbers_and_emails_are_found_by_a_fragment(admin, accounts):
    field = admin.post("/custom-fields", json={"entity": "account", "name": "billing_email",
                                                "label": "Billing e-mail", "type": "email"})
    assert field.status_code == 201, field.get_json()
    admin.post("/accounts", json={"name": "Initech", "phone": "0049 30 9988776",
                                  "custom": {"billing_email": "jane.doe@initech-mail.test"}})
    for fragment in ("555-1234", "5551234", "4567", "(555) 123", "+1 555 123 4567"):
        assert titles(admin, fragment) == ["Acme Corporation"], fragment
    for fragment in ("jane.doe@initech", "doe@init", "initech-mail.test", "jane", "30 998877",
                     "309988"):
        assert titles(admin, fragment) == ["Initech"], fragment


def test_custom_fields_that_are_not_text_are_not_indexed(admin):
    admin.post("/custom-fields", json={"entity": "account", "name": "employees",
                                       "label": "Employees", "type": "number"})
    admin.post("/accounts", json={"name": "Hooli", "custom": {"employees": 4242}})
    assert titles(admin, "hooli") == ["Hooli"]
    assert titles(admin, "4242") == []


def test_updates_and_deletes_are_reflected(admin, accounts):
    acme = accounts["Acme Widgets"]
    assert admin.patch(f"/accounts/{acme}", json={"name": "Umbrella Widgets"}).status_code == 200
    assert "Acme Widgets" not in titles(admin, "acme")
    assert titles(admin, "umbrella") == ["Umbrella Widgets"]
    assert admin.delete(f"/accounts/{acme}").status_code == 204
    assert titles(admin, "umbrella") == []


def test_a_rep_finds_only_records_in_their_data_scope(admin, tenant, make_user):
    reps = [make_user(tenant, "sales_rep") for _ in range(2)]
    for number, rep in enumerate(reps):
        assert rep.post("/accounts", json={"name": f"Soylent {number}"}).status_code == 201
    assert titles(reps[0], "soylent") == ["Soylent 0"]
    assert titles(reps[1], "soylent") == ["Soylent 1"]
    assert set(titles(admin, "soylent")) == {"Soylent 0", "Soylent 1"}


def test_scopes_apply_in_one_set_based_query(app, admin, tenant, make_user):
    from patron.db import db

    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]
    admin.patch(f"/roles/{role['id']}", json={"scopes": {"core.accounts": "own_and_reports"}})
    rep = make_user(tenant, "sales_rep")
    rep.post("/accounts", json={"name": "Vandelay Industries"})
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "search_documents" in statement or "patron_search_" in statement:
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert titles(rep, "vandelay") == ["Vandelay Industries"]
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert 1 <= len(statements) <= 2  # PostgreSQL adds a title-infix query for few hits
    assert all("users.report_path LIKE" in statement for statement in statements)


def test_without_read_permission_an_entity_is_not_searched(admin, tenant, make_user, accounts):
    admin.post("/roles", json={"key": "directory_only", "name": "Directory only",
                               "permissions": ["core.users.read"], "default_scope": "all"})
    reader = make_user(tenant, "directory_only")
    assert search(reader, "acme") == []
    assert search(reader, "acme", entity="account") == []


def test_another_tenants_records_never_appear(auth, tenant, other_tenant):
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    mine = acme.post("/accounts", json={"name": "Initrode Holdings"}).get_json()["id"]
    theirs = globex.post("/accounts", json={"name": "Initrode Holdings"}).get_json()["id"]
    assert [hit["id"] for hit in search(acme, "initrode")] == [mine]
    assert [hit["id"] for hit in search(globex, "initrode holdings")] == [theirs]


@pytest.mark.parametrize("q", ['"', '""acme', "*", "acme*", "NEAR(acme", "NEAR(", "title:acme",
                               ":", "&|!", "acme & !globex", "a:*", "'; DROP TABLE accounts; --",
                               "(", ")", "\\", "%", "_", "^acme", "acme OR globex", "-acme",
                               "{title}: acme"])
def test_hostile_input_is_searched_as_plain_words(admin, accounts, q):
    response = admin.get("/search", query_string={"q": q})
    assert response.status_code == 200, response.get_json()


def test_operators_and_punctuation_are_plain_text(admin, accounts):
    assert set(titles(admin, "acme*")) == {"Acme Corporation", "Acme Widgets", "Zenith Supplies"}
    assert titles(admin, "NEAR(acme corp") == []  # "near" is just a word nobody has
    assert titles(admin, '"acme" "corp"') == ["Acme Corporation"]
    for q in ("*", "&|!", '"', "NEAR(", ":", "()", "--"):
        assert search(admin, q) == [], q


def test_bad_requests_are_422(admin, client):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "x" * 201}, {"q": "acme\x00"},
                   {"q": "acme", "limit": 0},
                   {"q": "acme", "entity": "nonsense"}, {"q": "acme", "sort": "title"}):
        response = admin.get("/search", query_string=params)
        assert response.status_code == 422, params
    assert client.get("/api/v1/search?q=acme").status_code == 401


def test_entity_narrows_the_search(admin, accounts):
    assert len(search(admin, "acme", entity="account")) == 3


def test_search_is_in_the_openapi_document(admin):
    spec = admin.open("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "entity", "limit"}


def test_reindex_rebuilds_a_tenants_documents(app, admin, tenant, accounts, other_tenant, auth):
    from patron.db import db
    from patron.search.models import SearchDocument

    auth.api(other_tenant).post("/accounts", json={"name": "Acme Neighbour"})
    with in_tenant(app, tenant):
        db.session.execute(delete(SearchDocument))
    assert titles(admin, "acme") == []
    result = reindex(app, "acme")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("indexed 4 records of acme (account 4")
    assert set(titles(admin, "acme")) == {"Acme Corporation", "Acme Widgets", "Zenith Supplies"}
    assert titles(admin, "555-1234") == ["Acme Corporation"]
    assert titles(auth.api(other_tenant), "acme") == ["Acme Neighbour"]


def test_reindex_of_an_unknown_tenant_is_one_line(app):
    result = reindex(app, "nobody")
    assert result.exit_code != 0 and "no tenant 'nobody'" in result.output


class TestModuleGating:
    """An entity of a module the tenant has not enabled is absent from search."""

    @pytest.fixture
    def patron_extra_plugins(self, fake_plugin):
        return [fake_plugin("prospects")]

    def test_entities_of_disabled_modules_are_not_searched(self, app, admin, accounts):
        result = reindex(app, "acme")
        assert "prospect 4" in result.output, result.output
        assert {hit["entity"] for hit in search(admin, "globex")} == {"account"}
        response = admin.get("/search", query_string={"q": "globex", "entity": "prospect"})
        assert response.status_code == 422
        assert admin.put("/modules/prospects", json={"enabled": True}).status_code == 200
        assert {hit["entity"] for hit in search(admin, "globex")} == {"account", "prospect"}
        assert [hit["title"] for hit in search(admin, "globex", entity="prospect")] == [
            "Globex Corporation"]


def test_postgresql_also_finds_a_title_by_its_middle(app, admin):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the trigram index exists on PostgreSQL only")
    admin.post("/accounts", json={"name": "MegaCorp Ltd"})
    assert titles(admin, "gacor") == ["MegaCorp Ltd"]



def _sqlite_only(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the FTS5 index exists on SQLite only")


def test_sqlite_matches_only_the_tenants_entries_inside_the_index(app, auth, tenant,
                                                                  other_tenant):
    """The tenant limit is part of the FTS5 query itself, not a filter after the join back."""
    from sqlalchemy import func, select, text

    from patron.db import db
    from patron.db.fulltext import FTS_TABLE, match_documents, tenant_rowids
    from patron.search.models import SearchDocument

    _sqlite_only(app)
    acme, globex = auth.api(tenant), auth.api(other_tenant)
    for name in ("Initrode Holdings", "Initrode Labs"):
        acme.post("/accounts", json={"name": name})
    globex.post("/accounts", json={"name": "Initrode Holdings"})
    documents = SearchDocument.__table__
    unscoped = select(documents.c.tenant_id)  # Core, no tenant condition of its own
    with app.app_context(), db.engine.connect() as connection:
        def tenants_matched(tenant_id=None) -> list:
            matched, _ = match_documents(unscoped, documents, ["initrode"], tenant_id)
            return sorted(connection.execute(matched).scalars())

        def index_entries(tenant_id) -> int:
            first, last = tenant_rowids(tenant_id)
            return connection.execute(
                select(func.count()).select_from(text(FTS_TABLE))
                .where(text(f"{FTS_TABLE} MATCH 'initrode' AND rowid BETWEEN :a AND :b")
                       .bindparams(a=first, b=last))).scalar()

        assert tenants_matched() == sorted([tenant.id, tenant.id, other_tenant.id])
        assert tenants_matched(tenant.id) == [tenant.id, tenant.id]
        assert tenants_matched(other_tenant.id) == [other_tenant.id]
        assert (index_entries(tenant.id), index_entries(other_tenant.id)) == (2, 1)


def test_the_tenant_keyed_index_survives_a_downgrade_and_an_upgrade(app, admin, accounts, auth,
                                                                    other_tenant):
    """Migration 0014 rebuilds the SQLite index (and does nothing on PostgreSQL), both ways."""
    from alembic import command
    from sqlalchemy import text

    from patron.db import db
    from patron.db.migrations import alembic_config, migration_engine, upgrade

    neighbour = auth.api(other_tenant)
    neighbour.post("/accounts", json={"name": "Acme Neighbour"})
    before = search(admin, "acme"), search(neighbour, "acme")
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    with app.app_context():
        db.session.remove()
        engine = migration_engine()
        try:
            with engine.begin() as connection:
                command.downgrade(alembic_config(connection), "0013_owner_sorted_indexes")
                if sqlite:  # 0007's external-content index, in step with its documents
                    connection.exec_driver_sql("INSERT INTO search_documents_fts"
                                               "(search_documents_fts, rank) "
                                               "VALUES ('integrity-check', 1)")
                    found = connection.execute(text(
                        "SELECT rowid FROM search_documents_fts "
                        "WHERE search_documents_fts MATCH 'acme' ORDER BY rowid")).scalars()
                    assert list(found) == list(connection.execute(text(
                        "SELECT rowid FROM search_documents WHERE title LIKE '%acme%' "
                        "OR content LIKE '%acme%' ORDER BY rowid")).scalars())
        finally:
            engine.dispose()
        upgrade()
        db.engine.dispose()
    assert (search(admin, "acme"), search(neighbour, "acme")) == before
    admin.delete(f"/accounts/{accounts['Acme Widgets']}")
    assert set(titles(admin, "acme")) == {"Acme Corporation", "Zenith Supplies"}
