"""Tenant administration pages under ``/admin``: users, roles, departments, modules, custom
fields, the audit log and the signed-in user's API tokens.

Every write goes through the same operations as the API (``spec_for(...)`` with
:mod:`patron.api.operations`, or the module and token services).
"""

from flask import render_template
from flask_login import login_required

from patron.web.admin import (  # noqa: F401 - importing registers the sections' routes
    audit,
    custom_fields,
    departments,
    modules,
    roles,
    tokens,
    users,
)
from patron.web.admin.blueprint import bp, visible_sections


@bp.route("/")
@login_required
def index():
    """The sections the signed-in user may open."""
    return render_template("admin/index.html", sections=visible_sections())


__all__ = ["bp"]
