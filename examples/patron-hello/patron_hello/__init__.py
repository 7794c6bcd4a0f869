"""Hello: the example plugin a partner copies to start a Patron module.

The package is found through its ``patron.plugins`` entry point, exports ``patron_module``
and implements the hooks of :mod:`patron.plugins.hookspecs` below. Every installed plugin is
loaded at boot; each tenant then switches the module on or off (``PUT /api/v1/modules/hello``),
and while it is off its routes answer 404 and its menu item and event handler do not run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint

from patron.sdk import (
    OWN,
    DomainEvent,
    MenuItem,
    ModuleInfo,
    PatronBlueprint,
    Permission,
    User,
    hookimpl,
)
from patron_hello.api import GREETINGS, blp
from patron_hello.models import Greeting
from patron_hello.views import bp

__version__ = "0.1.0"

patron_module = ModuleInfo(
    name="hello",
    label="Hello",
    version=__version__,
    description="Greetings: the example module partners start from.",
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

logger = logging.getLogger(__name__)


@hookimpl
def patron_register_permissions() -> list[Permission]:
    """Declare ``hello.greetings.read|create|update|delete``."""
    return [
        Permission(f"{GREETINGS}.{action}", f"{action.title()} greetings")
        for action in ("read", "create", "update", "delete")
    ]


@hookimpl
def patron_register_default_roles() -> dict[str, dict]:
    """Let sales reps read and write their own greetings (read-only gets every ``.read``)."""
    return {
        "sales_rep": {
            "permissions": [f"{GREETINGS}.read", f"{GREETINGS}.create"],
            "scopes": {GREETINGS: OWN},
        },
    }


@hookimpl
def patron_register_models() -> list[type]:
    """The module's tenant-owned models, for the isolation and schema checks."""
    return [Greeting]


@hookimpl
def patron_register_api_blueprints() -> list[PatronBlueprint]:
    """The API, mounted by the core at ``/api/v1/hello``."""
    return [blp]


@hookimpl
def patron_register_web_blueprints() -> list[Blueprint]:
    """The ``/hello/`` page."""
    return [bp]


@hookimpl
def patron_register_migrations() -> list[Path]:
    """The module's Alembic branch (``hello``), applied by ``patron db upgrade``."""
    return [MIGRATIONS]


@hookimpl
def patron_provide_menu_items(user: User) -> list[MenuItem]:
    """A menu entry for users allowed to read greetings."""
    return [MenuItem("Hello", "hello_pages.greetings", permission=f"{GREETINGS}.read")]


@hookimpl
def patron_event_emitted(event: DomainEvent) -> None:
    """Log each new greeting; runs only for tenants that enabled the module."""
    if event.name == "greeting.created":
        logger.info(
            "greeting %s created in tenant %s: %s",
            event.payload["id"], event.tenant_id, event.payload["message"],
        )
