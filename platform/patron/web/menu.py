"""Navigation entries contributed through ``patron_provide_menu_items``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from patron.plugins.services import tenant_hooks
from patron.rbac.access import can


@dataclass(frozen=True)
class MenuItem:
    """One entry of the main navigation; hidden from users lacking ``permission``.

    ``params`` are the URL values of ``endpoint`` (``(("entity", "account"),)`` for a record
    list page).
    """

    label: str
    endpoint: str
    permission: str | None = None
    order: int = 100
    params: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        """Where the entry leads."""
        return url_for(self.endpoint, **dict(self.params))


def menu_items() -> list[MenuItem]:
    """The signed-in user's navigation, from the modules the tenant has enabled."""
    items = [
        item
        for batch in tenant_hooks().patron_provide_menu_items(user=current_user)
        for item in batch
        if item.permission is None or can(item.permission)
    ]
    return sorted(items, key=lambda item: (item.order, item.label))
