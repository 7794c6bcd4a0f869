"""The ``/admin`` blueprint: the core's Settings pages of their own (users, roles, …), each
checked against its section's permission."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint

from patron.plugins.manager import CORE_PLUGIN
from patron.rbac.access import can, get_scoped_or_404, require
from patron.records.settings import SettingsSection, settings_sections
from patron.records.spec import ResourceSpec, spec_for

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_record(spec_name: str, record_id: uuid.UUID, action: str) -> tuple[ResourceSpec, Any]:
    """The spec called ``spec_name`` and its record ``record_id``, for a user allowed
    ``action`` on it (403 without the permission, 404 for a record of another tenant)."""
    spec = spec_for(spec_name)
    require(f"{spec.permission}.{action}")
    return spec, get_scoped_or_404(spec.model, record_id, spec.permission)


def visible_sections() -> list[SettingsSection]:
    """The core's Settings sections the signed-in user may open: the admin pages' tabs."""
    return [section for module, section in settings_sections().values()
            if module == CORE_PLUGIN and section.listed
            and (section.read_permission is None or can(section.read_permission))]


def administers() -> bool:
    """Whether the signed-in user changes any setting (and so gets the "Settings" entry)."""
    return any(section.update_permission is not None and can(section.update_permission)
               for _, section in settings_sections().values())


bp.add_app_template_global(visible_sections, "admin_sections")
