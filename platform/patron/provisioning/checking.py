"""Checking a manifest against the installed modules and the tenant as it is, before any
write: every problem is collected with its key path."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from patron.auth.services import UserError, check_password_strength, user_by_email
from patron.db import tenant_context
from patron.plugins.services import enabled_modules, installed_modules
from patron.provisioning.manifest import (
    ENTRY_SCHEMAS,
    SECTIONS,
    Manifest,
    ManifestError,
    TenantSettingsSchema,
    account_key,
    department_by_name,
    error_lines,
)
from patron.rbac.defaults import default_role_grants
from patron.rbac.services import (
    RbacError,
    check_admin_grants,
    role_by_key,
    validate_role_grants,
)
from patron.tenancy.models import Tenant
from patron.tenancy.services import tenant_by_slug


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
    return ManifestCheck(source, raw).run()


class ManifestCheck:
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
                    and not self.existing(department_by_name, parent)):
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
                    not self.existing(department_by_name, department)):
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
            key = account_key(entry)
            if key in seen:
                self.problem(f"accounts[{index}]", f"same {key} as accounts[{seen[key]}]")
            seen.setdefault(key, index)
            if "owner" in entry:
                self.check_user_reference(f"accounts[{index}].owner", entry["owner"])
