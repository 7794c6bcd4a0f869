"""Applying a checked manifest: create or update the tenant, its roles, departments, users,
modules and sample accounts through the services, and report what changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patron.auth.services import UserError, user_by_email
from patron.db import db, tenant_context
from patron.modules import ModuleChangeRefused, enable_module
from patron.provisioning.checking import load_manifest
from patron.provisioning.manifest import (
    Manifest,
    ManifestError,
    account_for,
    department_by_name,
)
from patron.provisioning.tenants import create_tenant
from patron.rbac.services import (
    RbacError,
    create_department,
    create_role,
    move_department,
    role_by_key,
    set_manager,
)
from patron.rbac.users import create_user
from patron.records.operations import create_record, update_record
from patron.records.spec import spec_for
from patron.tenancy.models import Tenant
from patron.tenancy.services import TenantError, tenant_by_slug


@dataclass
class ApplyReport:
    """What applying a manifest changed, one line per record (empty when nothing changed)."""

    slug: str
    changes: list[str] = field(default_factory=list)
    _created: set[tuple[str, str]] = field(default_factory=set, repr=False, init=False)

    @property
    def changed(self) -> bool:
        """Whether anything was created or updated."""
        return bool(self.changes)

    def created(self, kind: str, key: str) -> None:
        """Record that ``kind`` ``key`` was created."""
        self.changes.append(f"created {kind} {key}")
        self._created.add((kind, key))

    def updated(self, kind: str, key: str, attributes: list[str]) -> None:
        """Record changed ``attributes`` (silent for none, or for a record created this run)."""
        if attributes and (kind, key) not in self._created:
            self.changes.append(f"updated {kind} {key} ({', '.join(attributes)})")

    def enabled(self, module: str) -> None:
        """Record that ``module`` was enabled."""
        self.changes.append(f"enabled module {module}")

    def summary(self) -> str:
        """One line: how many changes were made to which tenant."""
        count = len(self.changes)
        return f"tenant {self.slug}: " + (
            f"{count} change{'s' if count != 1 else ''}" if count else "no changes"
        )


def apply_manifest(path: str | Path) -> ApplyReport:
    """Check the manifest at ``path``, then create or update what it describes (flushes only).

    :raises ManifestError: when the manifest has problems; nothing is changed then.
    """
    return apply(load_manifest(path))


def apply(manifest: Manifest) -> ApplyReport:
    """Create or update the tenant of a checked ``manifest``; flushes, the caller commits."""
    report = ApplyReport(manifest.slug)
    with _at(manifest, "tenant"):
        tenant = tenant_by_slug(manifest.slug) or _create_tenant(manifest, report)
    # The tenant is current while its row is written: on PostgreSQL a transaction writes only
    # its own tenant's row (patron.db.postgres).
    with tenant_context(tenant.id):
        settings = {k: v for k, v in manifest.tenant.items() if k != "slug"}
        report.updated("tenant", tenant.slug, _assign(tenant, settings))
        _apply_roles(manifest, report)
        _apply_departments(manifest, report)
        _apply_users(manifest, report)
        _apply_modules(manifest, report)
        _apply_accounts(manifest, report)
        db.session.flush()
    return report


@contextmanager
def _at(manifest: Manifest, path: str) -> Iterator[None]:
    """Report a refusal by a service (a state the checks could not foresee) at ``path``.

    When ``path`` names a whole entry (``users[1]``), the service's field is appended.
    """
    try:
        yield
    except (TenantError, UserError, RbacError, ModuleChangeRefused) as error:
        field_name = getattr(error, "field", None)
        where = path if field_name is None or "." in path else f"{path}.{field_name}"
        raise ManifestError(manifest.source, [f"{where}: {error}"]) from error


def _differences(record: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The ``values`` that ``record`` does not already have."""
    return {key: value for key, value in values.items() if getattr(record, key) != value}


def _assign(record: Any, values: dict[str, Any]) -> list[str]:
    """Set the attributes of ``record`` that differ from ``values``; returns their names."""
    changed = _differences(record, values)
    for key, value in changed.items():
        setattr(record, key, value)
    return list(changed)


def _create_tenant(manifest: Manifest, report: ApplyReport) -> Tenant:
    admin = manifest.first_admin
    settings = {k: v for k, v in manifest.tenant.items() if k not in ("slug", "name")}
    tenant, _ = create_tenant(
        manifest.slug, manifest.tenant.get("name", ""), admin_email=admin["email"],
        admin_password=admin.get("password"), **settings,
    )
    report.created("tenant", tenant.slug)
    report.created("user", admin["email"])
    return tenant


def _apply_roles(manifest: Manifest, report: ApplyReport) -> None:
    for entry in manifest.roles:
        values = {k: v for k, v in entry.items() if k != "key"}
        role = role_by_key(entry["key"])
        if role is None:
            create_role(entry)
            report.created("role", entry["key"])
        else:
            report.updated("role", entry["key"], _assign(role, values))
    db.session.flush()


def _apply_departments(manifest: Manifest, report: ApplyReport) -> None:
    for index, entry in enumerate(manifest.departments):
        name, parent_name = entry["name"], entry.get("parent")
        with _at(manifest, f"departments[{index}]"):
            parent_id = department_by_name(parent_name).id if parent_name else None
            department = department_by_name(name)
            if department is None:
                create_department(name, parent_id)
                report.created("department", name)
            elif "parent" in entry and department.parent_id != parent_id:
                move_department(department, parent_id)
                report.updated("department", name, ["parent"])


def _apply_users(manifest: Manifest, report: ApplyReport) -> None:
    for index, entry in enumerate(manifest.users):
        email = entry["email"]
        role = "admin" if entry.get("admin") else entry.get("role")
        values: dict[str, Any] = {k: entry[k] for k in ("name",) if k in entry}
        if "department" in entry:
            values["department_id"] = department_by_name(entry["department"]).id
        with _at(manifest, f"users[{index}]"):
            user = user_by_email(email)
            if user is None:
                create_user(email, password=entry.get("password"), role=role or "read_only",
                            **values)
                report.created("user", email)
                continue
            if role is not None:
                values["role_id"] = role_by_key(role).id
            report.updated("user", email, _assign(user, values))
    # Managers come second, so a user may report to someone further down the file.
    for index, entry in enumerate(manifest.users):
        if "manager" not in entry:
            continue
        with _at(manifest, f"users[{index}].manager"):
            user, manager = user_by_email(entry["email"]), user_by_email(entry["manager"])
            if user.manager_id != manager.id:
                set_manager(user, manager.id)
                report.updated("user", entry["email"], ["manager"])


def _apply_modules(manifest: Manifest, report: ApplyReport) -> None:
    for index, name in enumerate(manifest.modules):
        with _at(manifest, f"modules[{index}]"):
            if enable_module(name):
                report.enabled(name)


def _apply_accounts(manifest: Manifest, report: ApplyReport) -> None:
    for entry in manifest.accounts:
        values = {k: v for k, v in entry.items() if k != "owner"}
        if "owner" in entry:
            values["owner_id"] = user_by_email(entry["owner"]).id
        key = entry.get("domain") or entry["name"]
        account = account_for(entry)
        # Through the API's operations: the same rules, events, audit trail and search
        # documents as an account created in the UI.
        if account is None:
            create_record(spec_for("account"), values)
            report.created("account", key)
        elif changed := _differences(account, values):
            report.updated("account", key,
                           list(update_record(spec_for("account"), account, changed)))
