"""pytest fixtures of the test kit (see :mod:`patron.testing`).

Building an app costs about a second (mounting every route, documenting every API
blueprint), so a test process builds one per distinct set of extra plugins, configuration and
installed plugins, the first time a test asks for it, and lends it to every test that asks
for the same (:class:`AppCache`). Nothing one test does reaches the next: before each test
the app's configuration is put back as built (with the test's own ``PATRON_HOME``), the rate
limiter's counters and the process's tenant-configuration cache are emptied; after it, every
database connection must be back in the pool and the database is emptied
(:class:`~patron.testing.databases.DatabaseCleaner`). A test of start-up behaviour asks for
``fresh_app``, built for it alone.
"""

from __future__ import annotations

import copy
import importlib.metadata
import json
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, has_app_context
from werkzeug.serving import WSGIRequestHandler, make_server

from patron.app import create_app
from patron.auth.services import user_by_email
from patron.auth.tokens import create_token
from patron.config_cache import forget_all
from patron.db import db as database
from patron.db import tenant_context
from patron.db.migrations import pending_migrations, upgrade
from patron.events.catalogue import observing
from patron.extensions import limiter
from patron.provisioning.tenants import create_tenant
from patron.rbac.users import create_user
from patron.testing.clients import ApiClient
from patron.testing.databases import (
    DatabaseCleaner,
    TestDatabase,
    create_postgres_database,
    drop_postgres_database,
    postgres_admin_url,
)
from patron.testing.smtp import Inbox

PASSWORD = "correct-horse-battery"
#: Werkzeug method of the passwords tests hash: one round of PBKDF2 rather than production's
#: scrypt (a fifth of a second per user). :mod:`patron.auth.passwords` verifies either.
PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
#: Apps a test process keeps; the least recently lent is dropped first.
APP_CACHE_SIZE = 32
#: How long a test's teardown waits for other threads (a live server's requests, a worker)
#: to give their database connections back before it fails.
DRAIN_SECONDS = 30.0


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
            # Every emitted event is checked against the event catalogue.
            "PATRON_CHECK_EVENTS": True,
            "PATRON_EXTRA_PLUGINS": list(extra_plugins or []),
            **config,
        }
    )
    with app.app_context():
        if pending_migrations():
            upgrade()
    return app


@dataclass
class _Built:
    """A cached app, its configuration as built and the rate-limit storage it was given."""

    app: Flask
    config: dict
    limiter_storage: object


class AppCache:
    """The apps of one test process, one per (extra plugins, configuration, installed
    plugins), built on first use, all on the process's database.

    :meth:`lend` prepares one for a test, :meth:`give_back` checks it is left clean. Only
    the app lent last keeps database connections open (so a PostgreSQL server is not flooded
    with idle pools).
    """

    def __init__(self, database: TestDatabase, home: Path, size: int = APP_CACHE_SIZE) -> None:
        self.database = database
        self.home = home
        self.size = size
        self.builds = 0
        self._apps: OrderedDict[tuple, _Built] = OrderedDict()
        self._connected: Flask | None = None

    @staticmethod
    def key(extra_plugins: list, config: dict) -> tuple:
        """What tells apps apart: the extra plugins, the configuration (by value) and the
        installed plugins (a test may pip-install one during the session)."""
        installed = tuple(sorted((ep.name, ep.value) for ep in importlib.metadata.entry_points(
            group="patron.plugins")))
        return (tuple(extra_plugins), json.dumps(config, sort_keys=True, default=repr),
                installed)

    def lend(self, extra_plugins: list, config: dict, home: Path) -> Flask:
        """The app for ``extra_plugins`` and ``config``, as built, with ``home`` as its
        ``PATRON_HOME`` and empty rate-limit counters and configuration cache."""
        if has_app_context():
            raise RuntimeError("an application context is still pushed from an earlier test")
        key = self.key(extra_plugins, config)
        built = self._apps.get(key)
        if built is None:
            self.builds += 1
            app = build_app(self.database, self.home / f"app-{self.builds}", extra_plugins,
                            **config)
            built = _Built(app, _copied(app.config), limiter.storage)
            self._apps[key] = built
            while len(self._apps) > self.size:
                _, dropped = self._apps.popitem(last=False)
                self._disconnect(dropped.app)
        self._apps.move_to_end(key)
        app = built.app
        if self._connected is not None and self._connected is not app:
            self._disconnect(self._connected)
        self._connected = app
        app.config.clear()
        app.config.update(_copied(built.config))
        app.config["PATRON_HOME"] = str(home)
        # flask-limiter keeps one storage per Limiter, and every app shares the one in
        # patron.extensions: the app built (or bound) last set it.
        if limiter.storage is not built.limiter_storage:
            limiter.init_app(app)
            built.limiter_storage = limiter.storage
        limiter.reset()
        forget_all()
        return app

    def give_back(self, app: Flask) -> None:
        """Check that the test left no application context pushed and, once other threads
        are done, no database connection checked out."""
        if has_app_context():
            raise RuntimeError("the test left an application context pushed: its g and "
                               "session would reach the next test")
        wait_for_connections(app)

    def close(self) -> None:
        """Close every app's connections (end of the session)."""
        for built in self._apps.values():
            self._disconnect(built.app)
        self._apps.clear()

    def _disconnect(self, app: Flask) -> None:
        with app.app_context():
            database.session.remove()
            database.engine.dispose()
        if self._connected is app:
            self._connected = None


def _copied(config) -> dict:
    """A copy of ``config`` that a test may change freely (modules and the like are shared)."""
    copied = {}
    for key, value in config.items():
        try:
            copied[key] = copy.deepcopy(value)
        except (TypeError, copy.Error):
            copied[key] = copy.copy(value)
    return copied


def wait_for_connections(app: Flask, seconds: float = DRAIN_SECONDS) -> None:
    """Wait until every connection of ``app``'s engine is back in its pool; fail after
    ``seconds`` (a thread or context still holds one, and would hold it into the next test)."""
    with app.app_context():
        database.session.remove()
        pool = database.engine.pool
    deadline = time.monotonic() + seconds
    while pool.checkedout():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{pool.checkedout()} database connection(s) still checked out "
                               f"{seconds:.0f} s after the test")
        time.sleep(0.01)


@pytest.fixture(scope="session")
def patron_database_server(tmp_path_factory, worker_id_suffix) -> Iterator[TestDatabase]:
    """The database of this test process: a PostgreSQL database of its own, or a SQLite
    file; migrated by the first app built on it."""
    admin_url = postgres_admin_url()
    if admin_url:
        # The process id keeps concurrent test sessions on one server out of each other's way.
        name = f"patron_test_{os.getpid()}{worker_id_suffix}"
        database = create_postgres_database(admin_url, name)
        yield database
        drop_postgres_database(admin_url, name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('database') / 'patron.db'}"
        yield TestDatabase(url, url)


@pytest.fixture(scope="session")
def worker_id_suffix() -> str:
    """``_gw0`` … under pytest-xdist, empty otherwise: one database per worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"_{worker}" if worker else ""


@pytest.fixture(scope="session")
def patron_database_cleaner(patron_database_server) -> Iterator[DatabaseCleaner]:
    """Empties the process's database between tests."""
    cleaner = DatabaseCleaner(patron_database_server)
    yield cleaner
    cleaner.close()


@pytest.fixture(scope="session")
def patron_apps(patron_database_server, tmp_path_factory) -> Iterator[AppCache]:
    """The apps of this test process (see :class:`AppCache`)."""
    cache = AppCache(patron_database_server, tmp_path_factory.mktemp("apps"))
    yield cache
    cache.close()


@pytest.fixture
def patron_extra_plugins() -> list:
    """Override to load plugin modules (e.g. from ``tests/fake_plugins``) for one test."""
    return []


@pytest.fixture
def patron_config() -> dict:
    """Override to pass extra settings to the test app."""
    return {}


@pytest.fixture
def test_database(patron_database_server, patron_database_cleaner) -> Iterator[TestDatabase]:
    """The database the test's app uses, emptied after the test."""
    yield patron_database_server
    patron_database_cleaner.empty()


@pytest.fixture
def app(patron_apps, test_database, tmp_path, patron_extra_plugins,
        patron_config) -> Iterator[Flask]:
    """The application for the test's plugins and configuration, shared with the other
    tests that ask for the same (see :class:`AppCache`), on an empty, migrated database."""
    application = patron_apps.lend(patron_extra_plugins, patron_config, tmp_path / "home")
    yield application
    patron_apps.give_back(application)


@pytest.fixture
def fresh_app(test_database, tmp_path, patron_extra_plugins, patron_config) -> Iterator[Flask]:
    """An application built for this test alone, for tests of start-up behaviour; the
    ``app`` fixture's shared app is the usual choice."""
    application = build_app(test_database, tmp_path / "fresh-home", patron_extra_plugins,
                            **patron_config)
    yield application
    wait_for_connections(application)
    _dispose(application)


def _dispose(app: Flask) -> None:
    with app.app_context():
        database.session.remove()
        database.engine.dispose()


@pytest.fixture
def db(app):
    """The SQLAlchemy extension, inside an application context."""
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
    tenant_id = getattr(tenant, "id", tenant)
    with app.app_context(), tenant_context(tenant_id):
        try:
            yield
            database.session.commit()
        finally:
            database.session.remove()


def make_tenant(app: Flask, slug: str, **kwargs) -> TenantInfo:
    """Create a tenant with an admin whose password is :data:`PASSWORD`."""
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
        with in_tenant(self.app, tenant):
            user = user_by_email(email or tenant.admin_email)
            return create_token(user, "test").secret

    def api(self, tenant: TenantInfo, email: str | None = None) -> ApiClient:
        """An API client acting as ``email`` (default: the tenant's admin)."""
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


@pytest.fixture(scope="session")
def patron_smtp_server() -> Iterator:
    """The SMTP server of this test process (``smtp_inbox`` empties it for each test): one
    address for the whole session keeps ``patron_config`` the same, so the app is shared."""
    inbox = Inbox()
    inbox.start()
    yield inbox
    inbox.stop()


@pytest.fixture
def smtp_inbox(patron_smtp_server) -> Iterator:
    """A real SMTP server on loopback keeping what it receives during the test
    (``.messages``); put its ``.config`` in ``patron_config`` so the app sends there."""
    patron_smtp_server.messages.clear()
    yield patron_smtp_server
    patron_smtp_server.messages.clear()


class _Requests:
    """The requests a live server is answering, so that it can wait for them before the test
    ends (their threads would otherwise run into the next test), and the bodies they answer
    with, closed however the request ends.

    werkzeug closes a response body after sending it, unless the browser drops the connection
    just then (a page left while its scripts still load): reading what is left of the request
    raises first, and the body of a static file kept its file open until the garbage
    collector complained in some later test.
    """

    def __init__(self) -> None:
        self.running: dict[int, str] = {}
        self.changed = threading.Condition()
        self.bodies = threading.local()

    def app(self, app: Flask):
        """``app`` as a WSGI callable that remembers each request's body for the handler."""
        def serve(environ, start_response):
            self.bodies.current = app(environ, start_response)
            return self.bodies.current

        return serve

    def handler(self) -> type:
        """A werkzeug request handler that keeps these counts."""
        requests = self

        class Handler(WSGIRequestHandler):
            def run_wsgi(self) -> None:
                key = threading.get_ident()
                with requests.changed:
                    requests.running[key] = self.requestline
                try:
                    super().run_wsgi()
                finally:
                    body = getattr(requests.bodies, "current", None)
                    requests.bodies.current = None
                    if hasattr(body, "close"):
                        body.close()  # a second close does nothing
                    with requests.changed:
                        requests.running.pop(key, None)
                        requests.changed.notify_all()

        return Handler

    def wait(self, seconds: float) -> None:
        """Return once no request is being answered; fail after ``seconds``."""
        with self.changed:
            if not self.changed.wait_for(lambda: not self.running, timeout=seconds):
                raise RuntimeError(f"requests still running {seconds:.0f} s after the test: "
                                   f"{sorted(self.running.values())}")


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app served over HTTP on a free loopback port; yields its base URL. The
    requests under way when the test ends are answered before the next test starts."""
    requests = _Requests()
    server = make_server("127.0.0.1", 0, requests.app(app), threaded=True,
                         request_handler=requests.handler())
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    requests.wait(DRAIN_SECONDS)


@pytest.fixture
def make_user(app, auth):
    """Factory: ``make_user(tenant, role="sales_rep", **fields)`` → an :class:`ApiClient`."""

    def factory(tenant: TenantInfo, role: str = "sales_rep", email: str | None = None,
                **fields) -> ApiClient:
        email = email or f"{role}-{os.urandom(3).hex()}@{tenant.slug}.test"
        fields = {k: uuid.UUID(str(v)) if k.endswith("_id") and v else v
                  for k, v in fields.items()}
        with in_tenant(app, tenant):
            create_user(email, password=PASSWORD, role=role, **fields)
        return auth.api(tenant, email)

    return factory


@pytest.fixture
def captured_events() -> Iterator[list[tuple[str, dict]]]:
    """The events emitted during the test, as ``(name, payload)`` in order (each one already
    checked against the event catalogue)."""
    captured: list[tuple[str, dict]] = []
    with observing(lambda name, payloads: captured.extend((name, p) for p in payloads)):
        yield captured


def assert_problem(response, status: int, *, type_ends: str | None = None,
                   fields: Iterable[str] = ()) -> dict:
    """Assert that ``response`` is an RFC 7807 problem (``application/problem+json``) with
    ``status``, a ``type`` ending in ``type_ends`` if given, and field errors for each of
    ``fields``; returns the problem."""
    assert response.status_code == status, (response.status_code, response.get_data(True))
    assert response.mimetype == "application/problem+json", response.mimetype
    problem = response.get_json()
    assert problem["status"] == status
    if type_ends is not None:
        assert problem["type"].endswith(type_ends), problem["type"]
    missing = [name for name in fields if name not in problem.get("errors", {})]
    assert not missing, f"no error for {missing}: {problem.get('errors')}"
    return problem
