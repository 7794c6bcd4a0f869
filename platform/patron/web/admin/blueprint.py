"""The ``/admin`` blueprint and its sections (each checked against a permission)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from patron.rbac.access import can, get_scoped_or_404, require
from patron.records.spec import ResourceSpec, spec_for

bp = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True)
class Section:
    """One administration page; ``manage`` is the permission that makes someone its admin."""

    label: object  # a lazy string, translated when shown
    endpoint: str
    read: str | None
    manage: str | None


SECTIONS = (
    Section(_l("Users"), "admin.users", "core.users.read", "core.users.create"),
    Section(_l("Roles"), "admin.roles", "core.roles.read", "core.roles.update"),
    Section(_l("Departments"), "admin.departments", "core.departments.read",
            "core.departments.create"),
    Section(_l("Modules"), "admin.modules", "core.modules.manage", "core.modules.manage"),
    Section(_l("Custom fields"), "admin.custom_fields", "core.customfields.read",
            "core.customfields.create"),
    Section(_l("Audit log"), "admin.audit", "core.audit.read", None),
    Section(_l("API tokens"), "admin.tokens", None, None),
)


def admin_record(spec_name: str, record_id: uuid.UUID, action: str) -> tuple[ResourceSpec, Any]:
    """The spec called ``spec_name`` and its record ``record_id``, for a user allowed
    ``action`` on it (403 without the permission, 404 for a record of another tenant)."""
    spec = spec_for(spec_name)
    require(f"{spec.permission}.{action}")
    return spec, get_scoped_or_404(spec.model, record_id, spec.permission)


def visible_sections() -> list[Section]:
    """The sections the signed-in user may open."""
    return [s for s in SECTIONS if s.read is None or can(s.read)]


def administers() -> bool:
    """Whether the signed-in user manages anything (and so gets the "Admin" menu entry)."""
    return any(s.manage is not None and can(s.manage) for s in SECTIONS)


bp.add_app_template_global(visible_sections, "admin_sections")
