"""Tenant administration pages under ``/admin``: the Settings index, the organisation, users,
roles, departments, modules, custom fields, the audit log and the signed-in user's API tokens.

Every write goes through the same operations as the API (``spec_for(...)`` with
:mod:`patron.api.operations`, or the module and token services).
"""

from flask import render_template
from flask_babel import gettext as _
from flask_login import login_required

from patron.plugins.manager import CORE_PLUGIN
from patron.plugins.services import installed_modules
from patron.web.admin import (  # noqa: F401 - importing registers the sections' routes
    audit,
    custom_fields,
    departments,
    modules,
    organisation,
    roles,
    tokens,
    users,
)
from patron.web.admin.blueprint import bp
from patron.web.settings_pages import visible_groups


@bp.route("/")
@login_required
def index():
    """Settings: the sections the signed-in user may open, grouped by module."""
    installed = installed_modules()
    groups = [(_("General") if module == CORE_PLUGIN else str(installed[module].label), sections)
              for module, sections in visible_groups()]
    return render_template("admin/index.html", groups=groups)


__all__ = ["bp"]
