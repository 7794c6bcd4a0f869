"""A fake plugin with three 360° panels: one drawn by the module's own template, two left to
the core's generic rendering (a list of objects, guarded by a permission sales reps do not
get, and an object for everyone)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from patron.customers.panels import Panel
from patron.plugins import ModuleInfo, hookimpl
from patron.rbac.permissions import Permission

patron_module = ModuleInfo(name="dossier", label="Dossier", version="1.0")

#: No routes: it makes the module's templates (``dossier/…``) findable, as a real plugin's
#: web blueprint does.
pages = Blueprint("dossier_pages", __name__, url_prefix="/dossier",
                  template_folder=str(Path(__file__).parent / "templates"))


@hookimpl
def patron_register_permissions():
    return [Permission("dossier.notes.read", "Read dossier notes"),
            Permission("dossier.ledger.read", "Read the ledger")]


@hookimpl
def patron_register_default_roles():
    return {"sales_rep": {"permissions": ["dossier.notes.read"]}}


@hookimpl
def patron_register_web_blueprints():
    return [pages]


@hookimpl
def patron_provide_account_panels(account, user):
    return [
        Panel("dossier.notes", "Dossier notes", "dossier.notes.read",
              {"headline": f"Notes on {account.name}", "count": 2},
              template="dossier/notes_panel.html"),
        Panel("dossier.ledger", "Ledger", "dossier.ledger.read",
              [{"invoice": "INV-1", "amount": "120.00"},
               {"invoice": "INV-2", "amount": "80.50", "paid": True}]),
        Panel("dossier.summary", "Summary", None,
              {"open_items": 3, "tags": ["key", "late"], "on_hold": False, "since": None}),
    ]
