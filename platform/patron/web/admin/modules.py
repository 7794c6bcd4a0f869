"""``/admin/modules``: switch the installed modules on and off for the tenant."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from patron.modules import ModuleChangeRefused, disable_module, enable_module
from patron.plugins.services import enabled_modules, installed_modules
from patron.rbac.access import require
from patron.web.admin.blueprint import bp


@bp.route("/modules")
@login_required
def modules():
    """Every installed module with its state for this tenant."""
    require("core.modules.manage")
    return render_template("admin/modules.html",
                           modules=sorted(installed_modules().values(), key=lambda m: m.label),
                           enabled=enabled_modules())


@bp.route("/modules/<name>", methods=["POST"])
@login_required
def module_switch(name: str):
    """Enable or disable one module; a refusal (dependencies) is shown, nothing changes."""
    require("core.modules.manage")
    info = installed_modules().get(name)
    if info is None:
        abort(404)
    enable = request.form.get("enabled") == "on"
    try:
        enable_module(name) if enable else disable_module(name)
    except ModuleChangeRefused as error:
        flash(str(error), "danger")
    else:
        flash(_("%(module)s is on.", module=info.label) if enable
              else _("%(module)s is off; its data is kept.", module=info.label), "success")
    return redirect(url_for("admin.modules"))
