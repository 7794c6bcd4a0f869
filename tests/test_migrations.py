"""Migrations: readiness follows them, and upgrading is idempotent."""

from __future__ import annotations

from sqlalchemy import inspect

from patron import create_app
from patron.db import db
from patron.db.migrations import pending_migrations, upgrade


def test_readyz_reports_pending_migrations_until_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PATRON_MIGRATION_DATABASE_URL": url,
                      "PATRON_HOME": str(tmp_path), "SECRET_KEY": "x"})
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["status"] == "migrations pending"
    with app.app_context():
        upgrade()
        upgrade()  # a second run changes nothing
        assert pending_migrations() == set()
        assert {"tenants", "users", "accounts"} <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert client.get("/readyz").get_json() == {"status": "ok"}


def test_readyz_fails_when_the_database_is_unreachable(tmp_path):
    path = tmp_path / "gone.db"
    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PATRON_MIGRATION_DATABASE_URL": url,
                      "PATRON_HOME": str(tmp_path), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    path.unlink()
    path.mkdir()  # a directory where the database file was: every connection now fails
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
