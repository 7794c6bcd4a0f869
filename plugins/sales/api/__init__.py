"""The module's API, mounted by the core at ``/api/v1/sales``."""

from __future__ import annotations

from patron.sdk import PatronBlueprint

blp = PatronBlueprint("sales", __name__, description="Sales: leads, pipelines, opportunities")
