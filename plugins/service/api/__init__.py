"""The module's REST API, mounted by the core at ``/api/v1/service`` (docs/API.md).

Each area has its own blueprint, nested in :data:`blp`: they share its URL prefix and its
OpenAPI tag. The routes are thin: they parse the request, check the permission and call the
services (:mod:`patron_service.services`) or the SDK's record operations.
"""

from __future__ import annotations

from patron.sdk import PatronBlueprint
from patron_service.api import contracts, field_work, knowledge, reports, sla, tickets
from patron_service.api.settings import SETTINGS_SECTIONS

blp = PatronBlueprint("service", __name__,
                      description="Service: tickets, queues, SLAs, technicians, work orders")
for area in (tickets, sla, contracts, field_work, knowledge, reports):
    blp.register_blueprint(area.blp)

__all__ = ["SETTINGS_SECTIONS", "blp"]
