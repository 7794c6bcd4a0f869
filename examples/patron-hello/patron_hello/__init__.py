"""Hello: the example plugin a partner copies to start a Patron module.

The package is found through its ``patron.plugins`` entry point and declares itself in
``patron_module``; the core's plugin manager registers what the declaration lists (permissions,
default grants, models, blueprints, migrations) and the hooks of :mod:`patron_hello.hooks`.
Every installed plugin is loaded at boot; each tenant then switches the module on or off
(``PUT /api/v1/modules/hello``), and while it is off its routes answer 404 and its menu item
and event handler do not run. It imports nothing of Patron but :mod:`patron.sdk`.

The layout every Patron module follows (the plugin guide's "Layout"): ``models`` (tables),
``schemas`` (API shapes), ``services`` (what the module does; the only place with rules),
``api`` (thin routes), ``pages`` (views), ``hooks``, ``templates/``, ``migrations/``.
"""

from __future__ import annotations

from pathlib import Path

from patron.sdk import OWN, ModuleInfo
from patron_hello.api import blp
from patron_hello.hooks import patron_event_emitted, patron_provide_menu_items
from patron_hello.models import Greeting
from patron_hello.pages import bp
from patron_hello.services import GREETINGS, PERMISSIONS

__version__ = "0.1.0"

__all__ = ["patron_event_emitted", "patron_module", "patron_provide_menu_items"]

patron_module = ModuleInfo(
    name="hello",
    label="Hello",
    version=__version__,
    description="Greetings: the example module partners start from.",
    permissions=PERMISSIONS,
    # Sales reps read and write their own greetings (read-only gets every ``.read``).
    default_roles={"sales_rep": {"permissions": [f"{GREETINGS}.read", f"{GREETINGS}.create"],
                                 "scopes": {GREETINGS: OWN}}},
    models=[Greeting],
    api_blueprints=[blp],
    web_blueprints=[bp],
    migrations=[Path(__file__).resolve().parent / "migrations"],
)
