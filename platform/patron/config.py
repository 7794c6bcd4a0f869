"""Configuration from ``PATRON_*`` environment variables.

Every setting a deployment can change is listed once in :data:`SETTINGS`; the README's
configuration table is checked against it by a test, so the two cannot drift apart.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One environment variable: its config key, default and meaning."""

    env: str
    key: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("PATRON_HOME", "PATRON_HOME", "./instance",
            "Directory for the SQLite database, the secret key and uploaded files."),
    Setting("PATRON_DATABASE_URL", "SQLALCHEMY_DATABASE_URI", None,
            "Database the application connects to (default: SQLite in PATRON_HOME). On "
            "PostgreSQL this must be the non-owner application role."),
    Setting("PATRON_MIGRATION_DATABASE_URL", "PATRON_MIGRATION_DATABASE_URL", None,
            "Database URL used by `patron db upgrade`: the role that owns the tables "
            "(default: PATRON_DATABASE_URL)."),
    Setting("PATRON_SECRET_KEY", "SECRET_KEY", None,
            "Key signing sessions and CSRF tokens (default: generated once into PATRON_HOME)."),
    Setting("PATRON_REDIS_URL", "PATRON_REDIS_URL", None,
            "Redis for rate limits shared by all workers (default: in-process memory)."),
    Setting("PATRON_LOGIN_RATE_LIMIT", "PATRON_LOGIN_RATE_LIMIT", "10 per minute",
            "Failed logins allowed per client address before 429."),
    Setting("PATRON_SESSION_IDLE_MINUTES", "PATRON_SESSION_IDLE_MINUTES", "480",
            "A browser session unused this long ends on the server (default 8 hours)."),
    Setting("PATRON_SESSION_MAX_HOURS", "PATRON_SESSION_MAX_HOURS", "24",
            "A browser session ends this long after signing in, used or not (default 24)."),
    Setting("PATRON_REMEMBER_DAYS", "PATRON_REMEMBER_DAYS", "30",
            "How long a \"remember me\" sign-in lasts, idle or not (default 30 days)."),
    Setting("PATRON_SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURE", "true",
            "Send the session cookie over HTTPS only (`patron run` turns it off for "
            "http://127.0.0.1)."),
    Setting("PATRON_WEBHOOK_ALLOWED_NETWORKS", "PATRON_WEBHOOK_ALLOWED_NETWORKS", "",
            "Comma-separated CIDRs that webhook URLs may resolve to although private, "
            "loopback or link-local (e.g. 127.0.0.0/8 for local testing)."),
    Setting("PATRON_OUTBOX_MAX_ATTEMPTS", "PATRON_OUTBOX_MAX_ATTEMPTS", "8",
            "Delivery attempts before an outbox message is marked dead."),
    Setting("PATRON_OUTBOX_BACKOFF_SECONDS", "PATRON_OUTBOX_BACKOFF_SECONDS", "30",
            "First retry delay; each further attempt doubles it."),
    Setting("PATRON_WORKERS", "PATRON_WORKERS", "2", "gunicorn worker processes for "
            "`patron serve`."),
    Setting("PATRON_DEMO_MANIFEST", "PATRON_DEMO_MANIFEST", None,
            "Tenant manifest `patron run` provisions on first start (default: the demo "
            "manifest Patron ships, `tenants/demo.toml`, wherever it is run from)."),
    Setting("PATRON_DEBUG", "PATRON_DEBUG", "",
            "Set to 1 to see the full traceback when a `patron` command fails unexpectedly."),
    Setting("PATRON_BODY_MAX_BYTES", "PATRON_BODY_MAX_BYTES", str(1024 * 1024),
            "Largest request body other than an upload or an import, in bytes (default "
            "1 MiB); larger bodies get 413 unread."),
    Setting("PATRON_IMPORT_MAX_BYTES", "PATRON_IMPORT_MAX_BYTES", str(200 * 1024 * 1024),
            "Largest CSV file accepted for import, in bytes (default 200 MiB); larger "
            "uploads get 413."),
    Setting("PATRON_UPLOAD_MAX_BYTES", "PATRON_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024),
            "Largest attachment accepted, in bytes (default 20 MiB); larger uploads get 413."),
    Setting("PATRON_UPLOAD_ALLOWED_TYPES", "PATRON_UPLOAD_ALLOWED_TYPES",
            ".pdf,.txt,.csv,.rtf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,"
            ".odt,.ods,.odp,.eml,.msg,.zip",
            "Comma-separated extensions (`.pdf`) and content types (`image/png`, `image/*`) "
            "attachments may have; others get 422."),
    Setting("PATRON_BASE_URL", "PATRON_BASE_URL", "",
            "Public address of the web UI (`https://crm.example.com`), used for links in "
            "e-mails; empty: the address the request came in on."),
    Setting("PATRON_SMTP_HOST", "PATRON_SMTP_HOST", "",
            "SMTP server for outgoing e-mail (invitations, reports); empty: no e-mail is sent "
            "and admins are shown invitation links to pass on themselves."),
    Setting("PATRON_SMTP_PORT", "PATRON_SMTP_PORT", "587", "SMTP port."),
    Setting("PATRON_SMTP_SECURITY", "PATRON_SMTP_SECURITY", "starttls",
            "`starttls` (upgrade the connection, port 587), `tls` (TLS from the start, port "
            "465) or `none` (a relay on the same host or network only)."),
    Setting("PATRON_SMTP_USERNAME", "PATRON_SMTP_USERNAME", "",
            "SMTP login; empty: send without logging in."),
    Setting("PATRON_SMTP_PASSWORD", "PATRON_SMTP_PASSWORD", "", "SMTP password."),
    Setting("PATRON_MAIL_FROM", "PATRON_MAIL_FROM", "Patron <no-reply@localhost>",
            "Sender of Patron's e-mail."),
)

SMTP_SECURITY = ("starttls", "tls", "none")


#: The demo tenant's manifest, shipped in the package (``tenants/demo.toml`` of the source
#: tree, linked), so ``patron run`` finds it from any working folder.
DEMO_MANIFEST = Path(__file__).resolve().parent / "provisioning" / "demo.toml"


def _as_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(home: Path) -> str:
    """Read the instance secret key, creating it on first use."""
    path = home / "secret_key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_settings(environ: os._Environ | dict | None = None,
                  overrides: dict | None = None) -> dict:
    """Return the Flask config built from the environment and ``overrides`` (which win),
    with defaults filled in. The defaults that depend on other settings (the database and
    the secret key in ``PATRON_HOME``) follow the overridden ones: an app given its own home
    never makes the default one."""
    environ = os.environ if environ is None else environ
    config: dict = {}
    for setting in SETTINGS:
        value = environ.get(setting.env, setting.default)
        if value is not None:
            config[setting.key] = value
    config.update(overrides or {})
    config.setdefault("PATRON_DEMO_MANIFEST", str(DEMO_MANIFEST))
    home = Path(config["PATRON_HOME"]).resolve()
    config["PATRON_HOME"] = str(home)
    config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{home / 'patron.db'}")
    config.setdefault("PATRON_MIGRATION_DATABASE_URL", config["SQLALCHEMY_DATABASE_URI"])
    config["SESSION_COOKIE_SECURE"] = _as_bool(config["SESSION_COOKIE_SECURE"])
    config["PATRON_OUTBOX_MAX_ATTEMPTS"] = int(config["PATRON_OUTBOX_MAX_ATTEMPTS"])
    config["PATRON_OUTBOX_BACKOFF_SECONDS"] = float(config["PATRON_OUTBOX_BACKOFF_SECONDS"])
    config["PATRON_WORKERS"] = int(config["PATRON_WORKERS"])
    config["PATRON_UPLOAD_MAX_BYTES"] = int(config["PATRON_UPLOAD_MAX_BYTES"])
    config["PATRON_BODY_MAX_BYTES"] = int(config["PATRON_BODY_MAX_BYTES"])
    for name in ("PATRON_SESSION_IDLE_MINUTES", "PATRON_SESSION_MAX_HOURS",
                 "PATRON_REMEMBER_DAYS"):
        config[name] = int(config[name])
    config["PATRON_IMPORT_MAX_BYTES"] = int(config["PATRON_IMPORT_MAX_BYTES"])
    config["PATRON_SMTP_PORT"] = int(config["PATRON_SMTP_PORT"])
    if config["PATRON_SMTP_SECURITY"] not in SMTP_SECURITY:
        raise ValueError(f"PATRON_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, "
                         f"not {config['PATRON_SMTP_SECURITY']!r}")
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _secret_key(home)
    return config
