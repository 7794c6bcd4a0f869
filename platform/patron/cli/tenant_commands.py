"""``patron tenant …``, ``patron user create`` and ``patron token create``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext

from patron.auth.services import UserError, user_by_email
from patron.auth.tokens import create_token
from patron.db import db, tenant_context
from patron.provisioning.applying import apply_manifest
from patron.provisioning.manifest import TenantSettingsSchema
from patron.provisioning.tenants import create_tenant
from patron.rbac.services import role_by_key
from patron.records.operations import create_record
from patron.records.spec import spec_for
from patron.tenancy.models import Tenant
from patron.tenancy.services import TenantError, tenant_by_slug

#: ``--tenant SLUG``, shared by every tenant-scoped command.
tenant_option = click.option("--tenant", "slug", required=True, metavar="SLUG",
                             help="The tenant's slug.")


def password_option(*names: str, description: str) -> Callable[[Callable], Callable]:
    """A password option that is prompted for (twice, hidden) when not given."""
    return click.option(*names, prompt=True, hide_input=True, confirmation_prompt=True,
                        help=description)


@contextmanager
def tenant_transaction(slug: str) -> Iterator[Tenant]:
    """Run a block for tenant ``slug`` and commit it; an unknown slug is refused."""
    tenant = tenant_by_slug(slug)
    if tenant is None:
        raise TenantError(f"no tenant {slug!r}")
    with tenant_context(tenant.id):
        yield tenant
        db.session.commit()


def echo_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print ``rows`` under ``headers`` in aligned columns."""
    table = [headers, *rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(*table, strict=True)]
    for row in table:
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


# --------------------------------------------------------------------------------------------
# patron tenant
# --------------------------------------------------------------------------------------------


@click.group("tenant")
def tenant_group() -> None:
    """Create, provision and list tenants; suspend or reactivate them."""


@tenant_group.command("create")
@click.argument("slug")
@click.option("--name", default="", help="Display name (default: the slug).")
@click.option("--admin-email", required=True, help="E-mail of the first administrator.")
@password_option("--admin-password", description="Password of the first administrator.")
@click.option("--locale", default="en", show_default=True)
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--currency", default="USD", show_default=True)
@with_appcontext
def create_command(slug: str, name: str, admin_email: str, admin_password: str, locale: str,
                   timezone: str, currency: str) -> None:
    """Create tenant SLUG with its default roles and first administrator."""
    settings = TenantSettingsSchema().load({
        "slug": slug, "name": name or slug, "locale": locale, "timezone": timezone,
        "currency": currency,
    })
    _, admin = create_tenant(admin_email=admin_email, admin_password=admin_password, **settings)
    admin_email = admin.email
    db.session.commit()
    click.echo(f"created tenant {slug} with administrator {admin_email}")


@tenant_group.command("apply")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def apply_command(file: Path) -> None:
    """Create or update a tenant from a TOML manifest (idempotent)."""
    report = apply_manifest(file)
    db.session.commit()
    for change in report.changes:
        click.echo(change)
    click.echo(report.summary())


@tenant_group.command("list")
@with_appcontext
def list_command() -> None:
    """Every tenant with its status."""
    tenants = db.session.execute(db.select(Tenant).order_by(Tenant.slug)).scalars().all()
    if not tenants:
        click.echo("no tenants yet: create one with `patron tenant create` or `tenant apply`")
        return
    echo_table(("slug", "name", "status", "created"), [
        (t.slug, t.name, t.status, t.created_at.strftime("%Y-%m-%d %H:%M")) for t in tenants
    ])


def _set_status(slug: str, status: str) -> None:
    tenant = tenant_by_slug(slug)
    if tenant is None:
        raise TenantError(f"no tenant {slug!r}")
    if tenant.status == status:
        click.echo(f"tenant {slug} is already {status}")
        return
    with tenant_context(tenant.id):  # a transaction writes only its current tenant's row
        tenant.status = status
        db.session.commit()
    click.echo(f"tenant {slug} is now {status}")


@tenant_group.command("suspend")
@click.argument("slug")
@with_appcontext
def suspend_command(slug: str) -> None:
    """Suspend tenant SLUG: its users can no longer sign in or use their tokens."""
    _set_status(slug, "suspended")


@tenant_group.command("activate")
@click.argument("slug")
@with_appcontext
def activate_command(slug: str) -> None:
    """Reactivate a suspended tenant SLUG."""
    _set_status(slug, "active")


# --------------------------------------------------------------------------------------------
# patron user, patron token
# --------------------------------------------------------------------------------------------


@click.group("user")
def user_group() -> None:
    """Users of a tenant."""


@user_group.command("create")
@tenant_option
@click.option("--email", required=True)
@click.option("--name", default="", help="Display name (default: from the e-mail).")
@click.option("--role", default="read_only", show_default=True, help="A role key.")
@password_option("--password", description="The user's password.")
@with_appcontext
def user_create_command(slug: str, email: str, name: str, role: str, password: str) -> None:
    """Add a user to a tenant (validated, evented and audited like ``POST /users``)."""
    with tenant_transaction(slug):
        role_row = role_by_key(role)
        if role_row is None:
            raise UserError("role", f"no role {role!r} in tenant {slug}")
        spec = spec_for("users")
        data = spec.schema().load({"email": email, "name": name, "password": password,
                                   "role_id": str(role_row.id)})
        email = create_record(spec, data).email
    click.echo(f"created user {email} ({role}) in tenant {slug}")


@click.group("token")
def token_group() -> None:
    """API tokens."""


@token_group.command("create")
@tenant_option
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", default="cli", show_default=True, help="A name to recognise it by.")
@click.option("--expires-days", type=click.IntRange(min=1), help="Expire after N days.")
@with_appcontext
def token_create_command(slug: str, email: str, name: str, expires_days: int | None) -> None:
    """Create an API token; the token alone is printed on the last line."""
    expires_at = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    with tenant_transaction(slug):
        user = user_by_email(email)
        if user is None or not user.is_active:
            raise UserError("email", f"no active user {email} in tenant {slug}")
        secret = create_token(user, name, expires_at).secret
    expiry = f", expires {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else ""
    click.echo(f"token {name!r} for {email} in tenant {slug}{expiry} (shown only now):")
    click.echo(secret)


def register(cli: click.Group) -> None:
    """Add the ``tenant``, ``user`` and ``token`` groups."""
    for group in (tenant_group, user_group, token_group):
        cli.add_command(group)
