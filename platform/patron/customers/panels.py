"""Panels of the account 360° view, contributed by modules (``patron_provide_account_panels``).

The hook is tenant-scope: a module the tenant has not enabled contributes nothing
(DESIGN.md invariant 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from patron.auth.models import User
from patron.customers.models import Account
from patron.plugins.services import tenant_hooks
from patron.rbac.access import can


@dataclass(frozen=True)
class Panel:
    """One section of the 360° view; dropped for users lacking ``permission``.

    ``key`` is unique (``sales.open_deals``), ``data`` anything JSON can carry. On the 360°
    page a panel is shown by its ``template`` (a Jinja template of the module's, found through
    its web blueprint's ``template_folder``, rendered with ``panel`` and ``account``), or,
    without one, generically: a list of objects as a table, an object as a list of values.
    The API leaves ``template`` out.
    """

    key: str
    title: str
    permission: str | None
    data: Any
    template: str | None = None


def account_panels(account: Account, user: User) -> list[Panel]:
    """The panels the tenant's enabled modules provide for ``account``, as ``user`` may see."""
    return [
        panel
        for batch in tenant_hooks().patron_provide_account_panels(account=account, user=user)
        for panel in batch or []
        if panel.permission is None or can(panel.permission)
    ]
