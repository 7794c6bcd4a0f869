"""The module's hook implementations: what it adds to the core at run time, per tenant.

Registrations (permissions, models, blueprints, migrations, ...) are declared in
``patron_module`` instead; these hooks need code, so they stay hooks. Each runs only for
tenants that enabled the module.
"""

from __future__ import annotations

import logging

from patron.sdk import DomainEvent, MenuItem, User, hookimpl
from patron_hello.services import GREETINGS

logger = logging.getLogger("patron_hello")


@hookimpl
def patron_provide_menu_items(user: User) -> list[MenuItem]:
    """A menu entry, in the module's own sidebar group, for users allowed to read greetings."""
    return [MenuItem("Hello", "hello_pages.greetings", permission=f"{GREETINGS}.read",
                     group="Hello", icon="chat-heart")]


@hookimpl
def patron_event_emitted(event: DomainEvent) -> None:
    """Log each new greeting; runs only for tenants that enabled the module."""
    if event.name == "greeting.created":
        logger.info(
            "greeting %s created in tenant %s: %s",
            event.payload["id"], event.tenant_id, event.payload["message"],
        )
