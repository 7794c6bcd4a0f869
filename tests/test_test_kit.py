"""The test kit lends one app to every test that asks for the same plugins and configuration:
nothing a test leaves behind may reach the next one (``patron.testing.fixtures``)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from patron import create_app
from patron.db import db
from patron.testing.fixtures import Auth, make_tenant, wait_for_connections

CONFIG = {"PATRON_LOGIN_RATE_LIMIT": "2 per minute"}


def _sign_in(app, tenant, password: str) -> int:
    return app.test_client().post("/api/v1/auth/token", json={
        "tenant": tenant.slug, "email": tenant.admin_email, "password": password}).status_code


def test_the_next_test_gets_the_app_as_built_on_an_empty_database(
        patron_apps, patron_database_cleaner, test_database, tmp_path):
    app = patron_apps.lend([], CONFIG, tmp_path / "first")
    tenant = make_tenant(app, "acme")
    Auth(app, app.test_client()).api(tenant).post("/accounts", json={"name": "Searchable"})
    assert [_sign_in(app, tenant, "wrong") for _ in range(3)] == [401, 401, 429]
    app.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] = "10.0.0.0/8"
    app.config["API_SPEC_OPTIONS"]["security"].append({"other": []})
    patron_apps.give_back(app)
    assert "accounts" in patron_database_cleaner.empty()

    again = patron_apps.lend([], CONFIG, tmp_path / "second")
    assert again is app
    assert again.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] == ""
    assert again.config["API_SPEC_OPTIONS"]["security"] == [{"bearer": []}]
    assert again.config["PATRON_HOME"] == str(tmp_path / "second")
    assert patron_database_cleaner.empty() == []  # nothing was left anywhere
    with again.app_context():
        if db.engine.dialect.name == "sqlite":  # the full-text index went with its documents
            count = db.session.execute(text("SELECT count(*) FROM search_documents_fts"))
            assert count.scalar() == 0
    tenant = make_tenant(again, "acme")  # the slug is free again
    assert _sign_in(again, tenant, "wrong") == 401  # the counters start again
    patron_apps.give_back(again)


def test_other_plugins_or_settings_get_another_app(patron_apps, test_database, tmp_path,
                                                   fake_plugin):
    plain = patron_apps.lend([], {}, tmp_path)
    patron_apps.give_back(plain)
    assert patron_apps.lend([], CONFIG, tmp_path) is not plain
    with_plugin = patron_apps.lend([fake_plugin("gated")], {}, tmp_path)
    assert with_plugin is not plain and "gated" in with_plugin.extensions["patron"].modules
    patron_apps.give_back(with_plugin)


def test_a_connection_or_context_left_open_fails_the_test(patron_apps, test_database,
                                                          tmp_path):
    app = patron_apps.lend([], {}, tmp_path)
    with app.app_context():
        connection = db.engine.connect()
    with pytest.raises(RuntimeError, match="1 database connection"):
        wait_for_connections(app, seconds=0.1)
    connection.close()
    context = app.app_context()
    context.push()
    with pytest.raises(RuntimeError, match="application context pushed"):
        patron_apps.give_back(app)
    context.pop()
    patron_apps.give_back(app)


def test_fresh_app_is_built_for_one_test(fresh_app, patron_apps, tmp_path):
    shared = patron_apps.lend([], {}, tmp_path)
    patron_apps.give_back(shared)
    assert fresh_app is not shared
    tenant = make_tenant(fresh_app, "acme")
    assert Auth(fresh_app, fresh_app.test_client()).api(tenant).get("/me").status_code == 200


def test_an_app_given_its_home_writes_nothing_into_the_working_folder(tmp_path, monkeypatch):
    # A plugin's tests run from its own repository: no ./instance/secret_key may appear there.
    work = tmp_path / "plugin-repository"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("PATRON_HOME", raising=False)
    url = f"sqlite:///{tmp_path / 'home' / 'patron.db'}"
    app = create_app({"PATRON_HOME": str(tmp_path / "home"), "SECRET_KEY": "given",
                      "SQLALCHEMY_DATABASE_URI": url, "PATRON_MIGRATION_DATABASE_URL": url})
    assert app.config["SECRET_KEY"] == "given"
    assert list(work.iterdir()) == []
    home_only = create_app({"PATRON_HOME": str(tmp_path / "own")})
    assert (tmp_path / "own" / "secret_key").read_text().strip() == home_only.config[
        "SECRET_KEY"]
    assert home_only.config["SQLALCHEMY_DATABASE_URI"].endswith("/own/patron.db")
    assert list(work.iterdir()) == []
