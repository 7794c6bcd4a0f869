"""The application factory: a short chain of ``configure_<thing>(app)`` steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, abort, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

from patron import core_hooks
from patron.api.errors import PatronApi, register_error_handlers
from patron.audit import hooks as audit_hooks
from patron.auth import loaders
from patron.config import load_settings
from patron.db import db
from patron.db.postgres import (
    check_app_role,
    install_custom_plans,
    install_rls_setting,
    is_postgres,
)
from patron.db.sqlite import configure_sqlite_engine, tune_sqlite_engine
from patron.db.tenant_context import enter_request, leave_request
from patron.db.tenant_scope import install_tenant_scoping
from patron.endpoints import PUBLIC, TAKES_FILES, declared, has_body
from patron.extensions import babel, csrf, limiter, login_manager
from patron.filestore import largest_body_bytes
from patron.input_guard import check_request
from patron.plugins.manager import AUDIT_PLUGIN, CORE_PLUGIN, create_registry
from patron.plugins.mounting import mount_blueprints
from patron.web.headers import install_security_headers
from patron.web.i18n import select_locale, select_timezone
from patron.web.labels import openapi_choice_labels
from patron.web.menu import menu_groups, new_record_links


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application from ``PATRON_*`` settings, overridden by ``config``.

    ``config`` may carry ``PATRON_EXTRA_PLUGINS`` (a list of plugin modules loaded for this
    app only, as tests do) besides Flask settings.
    """
    app = Flask("patron", instance_relative_config=False)
    app.config.from_mapping(load_settings(overrides=config))
    configure_api_settings(app)
    configure_database(app)
    configure_plugins(app)
    configure_auth(app)
    configure_request_cycle(app)
    configure_security(app)
    configure_i18n(app)
    configure_blueprints(app)
    return app


def configure_api_settings(app: Flask) -> None:
    """flask-smorest: OpenAPI at /api/v1/openapi.json, Swagger UI at /api/docs."""
    app.config.setdefault("API_TITLE", "Patron CRM")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "v1/openapi.json")
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", "/static/vendor/swagger-ui/")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {"components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
         "security": [{"bearer": []}]},
    )


def configure_database(app: Flask) -> None:
    """SQLAlchemy with tenant scoping and, on PostgreSQL, the RLS setting and role check."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        configure_sqlite_engine(app)
    db.init_app(app)
    install_tenant_scoping(db.session)
    install_rls_setting(db.session)
    with app.app_context():
        tune_sqlite_engine(db.engine)
        install_custom_plans(db.engine)
        if is_postgres(db.engine):
            check_app_role(db.engine)


def configure_plugins(app: Flask) -> None:
    """Load every installed plugin (entry points) plus the app's extra plugins.

    Plugins' CLI commands join ``app.cli``, which the ``patron`` command group includes.
    """
    registry = create_registry([(CORE_PLUGIN, core_hooks), (AUDIT_PLUGIN, audit_hooks)],
                               app.config.get("PATRON_EXTRA_PLUGINS"))
    app.extensions["patron"] = registry
    registry.pm.hook.patron_register_cli_commands(cli=app.cli)


def configure_auth(app: Flask) -> None:
    """Flask-Login with server-side sessions and bearer tokens; limiter storage."""
    login_manager.init_app(app)
    loaders.install(login_manager)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=app.config["PATRON_REMEMBER_DAYS"])
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    redis_url = app.config.get("PATRON_REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)


def configure_security(app: Flask) -> None:
    """CSRF on every cookie-authenticated write, a bound on every request body, and the
    security headers of every response (:mod:`patron.web.headers`).

    Pages always check the token (the sign-in form included). API calls check it only when a
    browser session authenticates them: a bearer token, or no credentials at all (``POST
    /auth/token``), is nothing a forged cross-site request could ride on.
    """
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    install_security_headers(app)

    @app.before_request
    def limit_request_body():
        # Before anything reads the body (the CSRF check, the API's arguments): bound it, and
        # refuse it unread from someone who may not send it (patron.endpoints).
        view = app.view_functions.get(request.endpoint)
        files = declared(view, TAKES_FILES)
        request.max_content_length = (largest_body_bytes() if files
                                      else app.config["PATRON_BODY_MAX_BYTES"])
        if has_body() and (files or request.path.startswith("/api/")) and not declared(
                view, PUBLIC) and not current_user.is_authenticated:
            abort(401)
        if (request.content_length or 0) > request.max_content_length:
            abort(413)

    # Then text no column can hold (NUL, lone surrogates, JSON nested too deep), refused for
    # every route in one place.
    app.before_request(check_request)

    @app.before_request
    def protect_cookie_writes():
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        if request.path.startswith("/api/") and not _cookie_authenticated():
            return
        csrf.protect()


def _cookie_authenticated() -> bool:
    return "_user_id" in session or app_remember_cookie() in request.cookies


def app_remember_cookie() -> str:
    """Name of Flask-Login's remember-me cookie."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")


def configure_i18n(app: Flask) -> None:
    """Flask-Babel: English and Simplified Chinese, per user, then per tenant."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals.update(get_locale=get_locale, menu_groups=menu_groups,
                                 new_record_links=new_record_links)


def configure_blueprints(app: Flask) -> None:
    """Mount the core's and every plugin's API and web blueprints, gating plugin ones."""
    api = PatronApi(app)
    # Choices are described with the words pages use (one label table for both).
    api.ma_plugin.converter.add_attribute_function(openapi_choice_labels)
    app.extensions["patron_api"] = api
    register_error_handlers(app)
    with app.app_context():  # the pages made per app read the plugins' registrations
        mount_blueprints(app, api)


def configure_request_cycle(app: Flask) -> None:
    """One commit per request: changes are committed only when the response succeeds."""

    @app.before_request
    def load_tenant():
        g._tenant_token = enter_request()
        current_user.is_authenticated  # noqa: B018 - loading the user sets the tenant context

    @app.after_request
    def commit_on_success(response):
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def forget_tenant(exc):
        token = g.pop("_tenant_token", None)
        if token is not None:
            leave_request(token)
