"""``patron run`` (one command on one machine) and ``patron serve`` (gunicorn, production)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo, pass_script_info
from gunicorn.app.base import BaseApplication
from werkzeug.serving import run_simple

from patron.config import load_settings
from patron.db import db
from patron.db.migrations import upgrade
from patron.events.worker import start_embedded_worker
from patron.provisioning.applying import apply
from patron.provisioning.checking import load_manifest
from patron.tenancy.services import tenant_by_slug


def provision_demo(path: Path) -> tuple[str, dict[str, Any] | None] | None:
    """Apply the manifest at ``path`` unless its tenant exists; commits.

    Returns the tenant's slug and the manifest's first admin entry (to print the login), or
    None when there is no manifest at ``path``.
    """
    if not path.is_file():
        return None
    manifest = load_manifest(path)
    if tenant_by_slug(manifest.slug) is None:
        apply(manifest)
        db.session.commit()
        click.echo(f"provisioned tenant {manifest.slug} from {path}")
    return manifest.slug, manifest.first_admin


def _echo_login(slug: str, admin: dict[str, Any] | None) -> None:
    click.echo(f"Sign in to the demo tenant:\n  tenant:   {slug}")
    if admin is not None:
        click.echo(f"  email:    {admin['email']}")
        click.echo(f"  password: {admin.get('password', '(not in the manifest)')}")


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@pass_script_info
def run_command(info: ScriptInfo, host: str, port: int) -> None:
    """Run Patron on this machine: migrate, provision the demo tenant, serve, deliver events.

    For trying Patron and for development (plain HTTP, one process); use `patron serve` in
    production.
    """
    app: Flask = info.load_app()
    # Plain http://127.0.0.1: a Secure cookie would never come back and nobody could sign in.
    app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    manifest_path = Path(app.config["PATRON_DEMO_MANIFEST"])
    with app.app_context():
        upgrade()
        demo = provision_demo(manifest_path)
    if demo is None:
        click.echo(f"note: no demo manifest at {manifest_path}; no demo tenant provisioned")
    else:
        _echo_login(*demo)
    click.echo(f"Patron is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    stop_worker = start_embedded_worker(app)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop_worker.set()


class PatronGunicorn(BaseApplication):
    """gunicorn running the app factory: every worker builds its own app (no preloading)."""

    def __init__(self, factory: Callable[[], Flask], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Take the settings from ``options`` rather than gunicorn's command line."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """Build the application (called in each worker)."""
        return self.factory()


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to bind.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes (default: PATRON_WORKERS).")
@pass_script_info
def serve_command(info: ScriptInfo, bind: str, workers: int | None) -> None:
    """Serve with gunicorn (production).

    Migrations are not run and no tenant is provisioned: run `patron db upgrade` first
    (/readyz answers 503 while migrations are pending).
    """
    options = {
        "bind": bind,
        "workers": workers or load_settings()["PATRON_WORKERS"],
        "preload_app": False,
    }
    PatronGunicorn(info.load_app, options).run()


def register(cli: click.Group) -> None:
    """Add ``run`` and ``serve``."""
    cli.add_command(run_command)
    cli.add_command(serve_command)
