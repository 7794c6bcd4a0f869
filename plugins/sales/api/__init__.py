"""The module's API: one blueprint, ``sales``, mounted by the core at ``/api/v1/sales``.

Each route module adds its routes to the blueprint it is given (``register(blp)``, as the
SDK's ``register_crud`` does); the blueprint is built here from all of them.
"""

from __future__ import annotations

from patron.sdk import PatronBlueprint
from patron_sales.api import approvals, commerce, deals, leads, pool, reports
from patron_sales.api.settings import SETTINGS_SECTIONS

blp = PatronBlueprint("sales", __name__, description="Sales: leads, pipelines, opportunities")
for routes in (leads, deals, approvals, commerce, reports, pool):
    routes.register(blp)

__all__ = ["SETTINGS_SECTIONS", "blp"]
