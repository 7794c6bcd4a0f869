"""Declarative tenant manifests: one TOML file describes a tenant; applying it makes it so.

``patron tenant apply FILE`` applies a manifest and ``patron run`` provisions the demo tenant
from ``tenants/demo.toml``. The format (every part but ``[tenant]`` is optional)::

    modules = ["sales", "service"]   # top-level key, so it goes ABOVE [tenant]; each module
                                     # must be installed, and what it requires must be
                                     # enabled already or listed before it

    [tenant]
    slug = "demo"                    # required: the tenant this manifest is about
    name = "Demo Company"
    locale = "en"                    # en | zh_Hans
    timezone = "Europe/Berlin"       # an IANA time zone
    currency = "EUR"                 # ISO 4217
    plan = "standard"

    [[departments]]
    name = "Sales"
    [[departments]]
    name = "Sales East"
    parent = "Sales"                 # a department declared above, or one the tenant has

    [[roles]]                        # a new custom role, or changes to an existing one
    key = "team_lead"                # (the default roles can be edited too)
    name = "Team lead"               # required for a new role
    permissions = ["core.accounts.read", "core.accounts.update"]
    scopes = { "core.accounts" = "own_and_reports" }
    default_scope = "own"

    [[users]]
    email = "admin@demo.test"
    name = "Dana Admin"
    password = "demo-admin-2026"     # only used when the user is created
    admin = true                     # the first administrator (role admin); exactly one
                                     # user needs it when the tenant does not exist yet
    [[users]]
    email = "rep@demo.test"
    role = "sales_rep"               # a role key (new users default to read_only)
    department = "Sales East"        # a department name
    manager = "admin@demo.test"      # a user of this file or of the tenant

    [[accounts]]                     # sample data
    name = "Initech"
    domain = "initech.test"
    industry = "Software"
    owner = "rep@demo.test"          # a user of this file or of the tenant

**Applying is idempotent.** Records are matched by their natural key: the tenant by slug,
departments by name, roles by key, users by e-mail, accounts by domain (by name when they have
none). A match is updated to the values the manifest gives; keys left out keep their current
values. Nothing is ever deleted or disabled, and passwords are only set on users the manifest
creates, so applying the same file twice changes nothing the second time.

**Validation comes first.** The whole file is checked, against the installed modules and the
tenant's current state, before anything is written. Every problem is reported with its key path
(array indexes count from 0) in one :class:`ManifestError`, e.g.
``users[2].role: no role 'sales_boss'``, and nothing is changed.

The work is done by the services (:func:`~patron.tenancy.provisioning.create_tenant`,
:func:`~patron.auth.services.create_user`, :func:`~patron.rbac.services.create_department`,
:func:`~patron.rbac.services.set_manager`, :func:`~patron.plugins.services.enable_module`, …);
like them, applying flushes and never commits: the caller commits.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from patron.api.operations import create_record, update_record
from patron.api.schemas import BaseSchema
from patron.api.spec import spec_for
from patron.auth.services import UserError, check_password_strength, create_user, user_by_email
from patron.customers.api import AccountSchema
from patron.customers.models import Account
from patron.db import db, tenant_context
from patron.plugins.services import (
    ModuleChangeRefused,
    enable_module,
    enabled_modules,
    installed_modules,
)
from patron.rbac.defaults import default_role_grants
from patron.rbac.models import Department
from patron.rbac.schemas import RoleSchema
from patron.rbac.services import (
    RbacError,
    check_admin_grants,
    create_department,
    create_role,
    move_department,
    role_by_key,
    set_manager,
    validate_role_grants,
)
from patron.tenancy.api import TenantSchema
from patron.tenancy.models import Tenant
from patron.tenancy.provisioning import create_tenant
from patron.tenancy.services import SLUG, TenantError, tenant_by_slug

SECTIONS = ("tenant", "modules", "departments", "roles", "users", "accounts")


class ManifestError(ValueError):
    """A manifest cannot be applied; ``problems`` lists each one as ``key.path: message``."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: {'; '.join(problems)}")
        self.source = source
        self.problems = problems


class TenantSettingsSchema(TenantSchema):
    """``[tenant]``: the slug and settings of a tenant (``patron tenant create`` checks these)."""

    slug = fields.String(required=True, validate=validate.Regexp(
        SLUG, error="Use 1-63 lower-case letters, digits and hyphens."))
    plan = fields.String(validate=validate.Length(min=1, max=32))


class DepartmentEntrySchema(BaseSchema):
    """``[[departments]]``: a department and the name of its parent."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    parent = fields.String(validate=validate.Length(min=1, max=200))


class UserEntrySchema(BaseSchema):
    """``[[users]]``: a user, with role, department and manager named by key, name, e-mail."""

    email = fields.Email(required=True)
    name = fields.String(validate=validate.Length(max=200))
    role = fields.String()
    password = fields.String()
    department = fields.String()
    manager = fields.Email()
    admin = fields.Boolean()


class AccountEntrySchema(AccountSchema):
    """``[[accounts]]``: an account of the API's shape, plus its owner's e-mail.

    Custom field values are left out: they need the tenant's field definitions to be checked.
    """

    class Meta(BaseSchema.Meta):
        exclude = ("custom",)

    owner = fields.Email()


#: Array-of-tables sections: their entry schema, and the keys a new entry must have (checked
#: by hand where "required" depends on whether the record exists).
ENTRY_SCHEMAS: dict[str, Schema] = {
    "departments": DepartmentEntrySchema(),
    "roles": RoleSchema(partial=("name",)),
    "users": UserEntrySchema(),
    "accounts": AccountEntrySchema(),
}


def error_lines(messages: dict | list | str, path: str = "") -> list[str]:
    """Flatten marshmallow's nested messages into ``key.path: message`` lines.

    >>> error_lines({2: {"role": ["Not a valid string."]}}, "users")
    ['users[2].role: Not a valid string.']
    """
    if isinstance(messages, str):
        return [f"{path}: {messages}" if path else messages]
    if isinstance(messages, list):
        return [line for message in messages for line in error_lines(message, path)]
    lines = []
    for key, value in messages.items():
        if isinstance(key, int):
            lines += error_lines(value, f"{path}[{key}]")
        else:
            lines += error_lines(value, f"{path}.{key}" if path else str(key))
    return lines


@dataclass
class Manifest:
    """A checked manifest; each section holds its entries as loaded, in file order."""

    source: str
    tenant: dict[str, Any]
    modules: list[str] = field(default_factory=list)
    departments: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The tenant's slug."""
        return self.tenant["slug"]

    @property
    def first_admin(self) -> dict[str, Any] | None:
        """The ``[[users]]`` entry with ``admin = true``, if any."""
        return next((user for user in self.users if user.get("admin")), None)


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


def load_manifest(path: str | Path) -> Manifest:
    """Read and check the manifest at ``path``; nothing is written.

    Needs an application context: references are checked against the installed modules, the
    declared permissions and the tenant's current roles, departments and users.

    :raises ManifestError: listing every problem found, each with its key path.
    """
    source = str(path)
    try:
        with open(path, "rb") as file:
            raw = tomllib.load(file)
    except OSError as error:
        raise ManifestError(source, [f"cannot read the file ({error.strerror})"]) from error
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(source, [f"not valid TOML: {error}"]) from error
    return _ManifestCheck(source, raw).run()


def apply_manifest(path: str | Path) -> ApplyReport:
    """Check the manifest at ``path``, then create or update what it describes (flushes only).

    :raises ManifestError: when the manifest has problems; nothing is changed then.
    """
    return apply(load_manifest(path))


def apply(manifest: Manifest) -> ApplyReport:
    """Create or update the tenant of a checked ``manifest``; flushes, the caller commits."""
    report = ApplyReport(manifest.slug)
    tenant = tenant_by_slug(manifest.slug)
    with _at(manifest, "tenant"):
        if tenant is None:
            tenant = _create_tenant(manifest, report)
        else:
            settings = {k: v for k, v in manifest.tenant.items() if k != "slug"}
            report.updated("tenant", tenant.slug, _assign(tenant, settings))
    with tenant_context(tenant.id):
        _apply_roles(manifest, report)
        _apply_departments(manifest, report)
        _apply_users(manifest, report)
        _apply_modules(manifest, report)
        _apply_accounts(manifest, report)
        db.session.flush()
    return report


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


class _ManifestCheck:
    """One pass over a parsed manifest that collects every problem before any write."""

    def __init__(self, source: str, raw: dict[str, Any]) -> None:
        self.source = source
        self.raw = raw
        self.problems: list[str] = []
        self.tenant: Tenant | None = None
        self.declared = self.declared_names()

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def run(self) -> Manifest:
        for key in self.raw:
            if key not in SECTIONS:
                self.problem(key, "unknown key")
        settings = self.tenant_settings()
        entries = {name: self.entries(name) for name in ENTRY_SCHEMAS}
        # The raw slug, so that a bad setting does not make an existing tenant look new.
        table = self.raw.get("tenant")
        slug = table.get("slug") if isinstance(table, dict) else None
        self.tenant = tenant_by_slug(slug) if isinstance(slug, str) else None
        with tenant_context(self.tenant.id if self.tenant else None):
            modules = self.check_modules()
            self.check_departments(entries["departments"])
            self.check_roles(entries["roles"])
            self.check_users(entries["users"])
            self.check_accounts(entries["accounts"])
        if self.problems:
            raise ManifestError(self.source, self.problems)
        return Manifest(
            self.source, settings, modules,
            **{name: [entry for _, entry in found] for name, found in entries.items()},
        )

    def tenant_settings(self) -> dict[str, Any] | None:
        settings = self.raw.get("tenant")
        if not isinstance(settings, dict):
            self.problem("tenant", 'missing: add a [tenant] table with at least slug = "..."')
            return None
        if "modules" in settings:
            self.problem("tenant.modules", "modules is a top-level key: move it above [tenant]")
            settings = {k: v for k, v in settings.items() if k != "modules"}
        try:
            return TenantSettingsSchema().load(settings)
        except ValidationError as error:
            self.problems += error_lines(error.messages, "tenant")
            return None

    def declared_names(self) -> dict[str, set[str]]:
        """Department names, role keys and user e-mails the file declares.

        Taken from the raw entries, so that one bad entry does not also turn every reference
        to it into a problem.
        """
        declared = {}
        for section, key in (("departments", "name"), ("roles", "key"), ("users", "email")):
            entries = self.raw.get(section)
            declared[section] = {
                entry[key].lower() if section == "users" else entry[key]
                for entry in (entries if isinstance(entries, list) else [])
                if isinstance(entry, dict) and isinstance(entry.get(key), str)
            }
        return declared

    def entries(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        """The entries of an array-of-tables section that pass its schema, with their index."""
        raw = self.raw.get(name, [])
        if not isinstance(raw, list):
            self.problem(name, f"must be an array of tables ([[{name}]])")
            return []
        valid = []
        for index, entry in enumerate(raw):
            if not isinstance(entry, dict):
                self.problem(f"{name}[{index}]", f"must be a table ([[{name}]])")
                continue
            try:
                loaded = ENTRY_SCHEMAS[name].load(entry)
            except ValidationError as error:
                self.problems += error_lines(error.messages, f"{name}[{index}]")
                continue
            # Only the keys the file gives: the schemas' defaults must not overwrite the
            # current values of an existing record (new records get the models' defaults).
            given = {key: loaded[key] for key in entry}
            for key in ("email", "manager", "owner"):  # e-mails match case-insensitively
                if key in given:
                    given[key] = given[key].lower()
            valid.append((index, given))
        return valid

    def existing(self, lookup: Callable[[str], object | None], key: str) -> bool:
        """Whether the tenant (if it exists yet) has the record ``lookup(key)`` finds."""
        return self.tenant is not None and lookup(key) is not None

    def role_exists(self, key: str) -> bool:
        """Whether the tenant has role ``key`` (a new tenant will have the default roles)."""
        return key in default_role_grants() if self.tenant is None else self.existing(
            role_by_key, key)

    def check_modules(self) -> list[str]:
        names = self.raw.get("modules", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            self.problem("modules", "must be an array of module names")
            return []
        installed = installed_modules()
        already = enabled_modules() if self.tenant else frozenset()
        for index, name in enumerate(names):
            info = installed.get(name)
            if info is None:
                known = ", ".join(sorted(installed)) or "none"
                self.problem(f"modules[{index}]",
                             f"no module {name!r} is installed (installed: {known})")
                continue
            for required in info.requires:
                if required not in already and required not in names[:index]:
                    self.problem(f"modules[{index}]",
                                 f"{name!r} requires {required!r}: list it before {name!r}")
        return names

    def check_departments(self, entries: list[tuple[int, dict]]) -> None:
        seen: set[str] = set()
        for index, entry in entries:
            path, name, parent = f"departments[{index}]", entry["name"], entry.get("parent")
            if name in seen:
                self.problem(f"{path}.name", f"{name!r} is declared twice")
            if parent == name:
                self.problem(f"{path}.parent", "a department cannot be its own parent")
            elif (parent is not None and parent not in seen
                    and not self.existing(_department_by_name, parent)):
                self.problem(f"{path}.parent",
                             f"no department {parent!r} (declare it above {name!r})")
            seen.add(name)

    def check_roles(self, entries: list[tuple[int, dict]]) -> None:
        seen: set[str] = set()
        for index, entry in entries:
            path, key = f"roles[{index}]", entry["key"]
            if key in seen:
                self.problem(f"{path}.key", f"{key!r} is declared twice")
            seen.add(key)
            if "name" not in entry and not self.role_exists(key):
                self.problem(f"{path}.name", "required for a new role")
            try:
                check_admin_grants(key, entry)
                validate_role_grants(entry.get("permissions"), entry.get("scopes"))
            except RbacError as error:
                self.problem(f"{path}.{error.field}", str(error))

    def check_users(self, entries: list[tuple[int, dict]]) -> None:
        admins = [index for index, entry in entries if entry.get("admin")]
        for index in admins[1:]:
            self.problem(f"users[{index}].admin",
                         f"only one user can be the first admin (users[{admins[0]}] is)")
        if self.tenant is None and not admins:
            self.problem("users", "one user needs admin = true to become the first administrator")
        seen: set[str] = set()
        for index, entry in entries:
            path, email, role = f"users[{index}]", entry["email"], entry.get("role")
            if email in seen:
                self.problem(f"{path}.email", f"{email} is declared twice")
            seen.add(email)
            if entry.get("admin") and role not in (None, "admin"):
                self.problem(f"{path}.role", "the first admin has the role 'admin'")
            elif role is not None and role not in self.declared["roles"] and (
                    not self.role_exists(role)):
                self.problem(f"{path}.role", f"no role {role!r}")
            if "password" in entry:
                try:
                    check_password_strength(entry["password"])
                except UserError as error:
                    self.problem(f"{path}.password", str(error))
            department = entry.get("department")
            if department is not None and department not in self.declared["departments"] and (
                    not self.existing(_department_by_name, department)):
                self.problem(f"{path}.department", f"no department {department!r}")
            manager = entry.get("manager")
            if manager == email:
                self.problem(f"{path}.manager", "a user cannot be their own manager")
            elif manager is not None:
                self.check_user_reference(f"{path}.manager", manager)
        self.check_reporting_loops(entries)

    def check_user_reference(self, path: str, email: str) -> None:
        if email not in self.declared["users"] and not self.existing(user_by_email, email):
            self.problem(path, f"no user {email}")

    def check_reporting_loops(self, entries: list[tuple[int, dict]]) -> None:
        managers: dict[str, str | None] = {}
        for _, entry in entries:
            managers.setdefault(entry["email"], entry.get("manager"))
        for index, entry in entries:
            seen, manager = {entry["email"]}, managers.get(entry["email"])
            while manager is not None:
                if manager in seen:
                    self.problem(f"users[{index}].manager", "the reporting line goes in a loop")
                    break
                seen.add(manager)
                manager = managers.get(manager)

    def check_accounts(self, entries: list[tuple[int, dict]]) -> None:
        seen: dict[str, int] = {}
        for index, entry in entries:
            key = _account_key(entry)
            if key in seen:
                self.problem(f"accounts[{index}]", f"same {key} as accounts[{seen[key]}]")
            seen.setdefault(key, index)
            if "owner" in entry:
                self.check_user_reference(f"accounts[{index}].owner", entry["owner"])


# --------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------


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


def _department_by_name(name: str) -> Department | None:
    return db.session.execute(
        db.select(Department).where(Department.name == name).order_by(Department.id).limit(1)
    ).scalar_one_or_none()


def _account_key(entry: dict[str, Any]) -> str:
    domain = entry.get("domain")
    return f"domain {domain!r}" if domain else f"name {entry['name']!r}"


def _account_for(entry: dict[str, Any]) -> Account | None:
    domain = entry.get("domain")
    match = Account.domain == domain if domain else Account.name == entry["name"]
    return db.session.execute(
        db.select(Account).where(match).order_by(Account.id).limit(1)
    ).scalar_one_or_none()


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
            parent_id = _department_by_name(parent_name).id if parent_name else None
            department = _department_by_name(name)
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
            values["department_id"] = _department_by_name(entry["department"]).id
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
        account = _account_for(entry)
        # Through the API's operations: the same rules, events, audit trail and search
        # documents as an account created in the UI.
        if account is None:
            create_record(spec_for("account"), values)
            report.created("account", key)
        elif changed := _differences(account, values):
            report.updated("account", key,
                           list(update_record(spec_for("account"), account, changed)))
