"""The manifest format: its sections, the schema of each entry, and a checked manifest."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from patron.customers.models import Account
from patron.customers.schemas import AccountSchema
from patron.db import db
from patron.rbac.models import Department
from patron.rbac.schemas import RoleSchema
from patron.schemas import BaseSchema
from patron.tenancy.schemas import TenantSchema
from patron.tenancy.services import SLUG

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


def department_by_name(name: str) -> Department | None:
    """The tenant's department called ``name`` (the first, should two share it)."""
    return db.session.execute(
        select(Department).where(Department.name == name).order_by(Department.id).limit(1)
    ).scalar_one_or_none()


def account_key(entry: dict[str, Any]) -> str:
    """How a manifest account is matched, for messages: by domain, else by name."""
    domain = entry.get("domain")
    return f"domain {domain!r}" if domain else f"name {entry['name']!r}"


def account_for(entry: dict[str, Any]) -> Account | None:
    """The tenant's account a manifest entry describes (by domain, else by name)."""
    domain = entry.get("domain")
    match = Account.domain == domain if domain else Account.name == entry["name"]
    return db.session.execute(
        select(Account).where(match).order_by(Account.id).limit(1)
    ).scalar_one_or_none()
