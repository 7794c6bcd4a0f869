"""pytest fixtures of the test kit (see :mod:`patron.testing`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from patron.testing.clients import ApiClient
from patron.testing.databases import (
    TestDatabase,
    create_postgres_database,
    drop_postgres_database,
    postgres_admin_url,
    sqlite_copy,
    truncate_all,
)

PASSWORD = "correct-horse-battery"
#: Werkzeug method of the passwords tests hash: one round of PBKDF2 rather than production's
#: scrypt (a fifth of a second per user). :mod:`patron.auth.passwords` verifies either.
PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


@dataclass
class TenantInfo:
    """A tenant made for a test, with its first admin's credentials."""

    id: object
    slug: str
    admin_id: object
    admin_email: str
    password: str = PASSWORD


def build_app(database: TestDatabase, home: Path, extra_plugins=None, **config) -> Flask:
    """An app on ``database`` with its home in ``home``, migrated to head."""
    from patron import create_app
    from patron.db.migrations import pending_migrations, upgrade

    app = create_app(
        {
            "TESTING": True,
            "PATRON_HOME": str(home),
            "SQLALCHEMY_DATABASE_URI": database.app_url,
            "PATRON_MIGRATION_DATABASE_URL": database.migration_url,
            "SECRET_KEY": "test-secret",
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "PATRON_PASSWORD_HASH_METHOD": PASSWORD_HASH_METHOD,
            "PATRON_EXTRA_PLUGINS": list(extra_plugins or []),
            **config,
        }
    )
    with app.app_context():
        if pending_migrations():
            upgrade()
    return app


@pytest.fixture(scope="session")
def patron_database_server(tmp_path_factory, worker_id_suffix) -> Iterator[dict]:
    """Session-wide database set-up: the PostgreSQL database or the SQLite template path."""
    admin_url = postgres_admin_url()
    if admin_url:
        # The process id keeps concurrent test sessions on one server out of each other's way.
        name = f"patron_test_{os.getpid()}{worker_id_suffix}"
        database = create_postgres_database(admin_url, name)
        yield {"postgres": database}
        drop_postgres_database(admin_url, name)
    else:
        yield {"template": tmp_path_factory.mktemp("template") / "template.db"}


@pytest.fixture(scope="session")
def worker_id_suffix() -> str:
    """``_gw0`` … under pytest-xdist, empty otherwise: one database per worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"_{worker}" if worker else ""


@pytest.fixture
def patron_extra_plugins() -> list:
    """Override to load plugin modules (e.g. from ``tests/fake_plugins``) for one test."""
    return []


@pytest.fixture
def patron_config() -> dict:
    """Override to pass extra settings to the test app."""
    return {}


@pytest.fixture
def test_database(patron_database_server, tmp_path) -> Iterator[TestDatabase]:
    """The database one test's app uses (cleaned up after the test)."""
    if "postgres" in patron_database_server:
        database = patron_database_server["postgres"]
        yield database
        truncate_all(database.admin_url)
        return
    template: Path = patron_database_server["template"]
    if not template.exists():
        _migrate_template(template, tmp_path)
    yield sqlite_copy(template, tmp_path / "patron.db")


def _migrate_template(template: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{template}"
    app = build_app(TestDatabase(url, url), tmp_path / "template-home")
    _dispose(app)


def _dispose(app: Flask) -> None:
    from patron.db import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(test_database, tmp_path, patron_extra_plugins, patron_config) -> Iterator[Flask]:
    """A fresh application per test, on a migrated, empty database."""
    application = build_app(
        test_database, tmp_path / "home", patron_extra_plugins, **patron_config
    )
    yield application
    _dispose(application)


@pytest.fixture
def db(app):
    """The SQLAlchemy extension, inside an application context."""
    from patron.db import db as database

    with app.app_context():
        yield database
        database.session.remove()


@pytest.fixture
def client(app):
    """A Flask test client (cookies kept between calls)."""
    return app.test_client()


@contextmanager
def in_tenant(app: Flask, tenant: TenantInfo | object) -> Iterator[None]:
    """Run a block inside ``app`` for ``tenant`` (committing on success)."""
    from patron.db import db as database
    from patron.db import tenant_context

    tenant_id = getattr(tenant, "id", tenant)
    with app.app_context(), tenant_context(tenant_id):
        try:
            yield
            database.session.commit()
        finally:
            database.session.remove()


def make_tenant(app: Flask, slug: str, **kwargs) -> TenantInfo:
    """Create a tenant with an admin whose password is :data:`PASSWORD`."""
    from patron.db import db as database
    from patron.tenancy.provisioning import create_tenant

    with app.app_context():
        tenant, admin = create_tenant(
            slug, slug.title(), admin_email=f"admin@{slug}.test", admin_password=PASSWORD,
            **kwargs,
        )
        database.session.commit()
        info = TenantInfo(tenant.id, slug, admin.id, admin.email)
        database.session.remove()
    return info


@pytest.fixture
def tenant(app) -> TenantInfo:
    """Tenant ``acme`` with its admin."""
    return make_tenant(app, "acme")


@pytest.fixture
def other_tenant(app) -> TenantInfo:
    """Tenant ``globex``: the neighbour whose data must never be seen from ``acme``."""
    return make_tenant(app, "globex")


class Auth:
    """Signs users in for tests: bearer-token API clients and browser sessions."""

    def __init__(self, app: Flask, client) -> None:
        self.app = app
        self.client = client

    def token_for(self, tenant: TenantInfo, email: str | None = None) -> str:
        """A fresh API token of ``email`` (default: the tenant's admin)."""
        from patron.auth.services import user_by_email
        from patron.auth.tokens import create_token

        with in_tenant(self.app, tenant):
            user = user_by_email(email or tenant.admin_email)
            return create_token(user, "test").secret

    def api(self, tenant: TenantInfo, email: str | None = None) -> ApiClient:
        """An API client acting as ``email`` (default: the tenant's admin)."""
        from patron.auth.services import user_by_email

        with in_tenant(self.app, tenant):
            user_id = str(user_by_email(email or tenant.admin_email).id)
        return ApiClient(self.app.test_client(), self.token_for(tenant, email), user_id)

    def login(self, tenant: TenantInfo, email: str | None = None, password: str = PASSWORD,
              client=None, remember: bool = False):
        """Sign in through the web form; returns the response."""
        client = client or self.client
        page = client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        data = {"csrf_token": token, "tenant": tenant.slug,
                "email": email or tenant.admin_email, "password": password}
        if remember:
            data["remember"] = "y"
        return client.post("/login", data=data)


def csrf_token_from(html: str) -> str:
    """The CSRF token of a rendered page (its form field or its ``csrf-token`` meta tag)."""
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def auth(app, client) -> Auth:
    """Sign-in helpers (see :class:`Auth`)."""
    return Auth(app, client)


@pytest.fixture
def switch_module():
    """``switch_module(api, name, enabled=True)``: switch a module on or off as the client's
    tenant admin would (``PUT /modules/<name>``)."""

    def switch(api: ApiClient, name: str, enabled: bool = True) -> None:
        response = api.put(f"/modules/{name}", json={"enabled": enabled})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["enabled"] is enabled

    return switch


@pytest.fixture
def smtp_inbox() -> Iterator:
    """A real SMTP server on loopback keeping what it receives (``.messages``); put its
    ``.config`` in ``patron_config`` so the app sends there."""
    from patron.testing.smtp import Inbox

    inbox = Inbox()
    inbox.start()
    yield inbox
    inbox.stop()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app served over HTTP on a free loopback port; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def make_user(app, auth):
    """Factory: ``make_user(tenant, role="sales_rep", **fields)`` → an :class:`ApiClient`."""

    def factory(tenant: TenantInfo, role: str = "sales_rep", email: str | None = None,
                **fields) -> ApiClient:
        from patron.auth.services import create_user

        email = email or f"{role}-{os.urandom(3).hex()}@{tenant.slug}.test"
        fields = {k: uuid.UUID(str(v)) if k.endswith("_id") and v else v
                  for k, v in fields.items()}
        with in_tenant(app, tenant):
            create_user(email, password=PASSWORD, role=role, **fields)
        return auth.api(tenant, email)

    return factory
