"""``/api/v1/sales/leads`` (+ ``POST leads/<id>/convert``: an account, a contact and maybe a
deal made from the lead)."""

from __future__ import annotations

import uuid

from patron.sdk import PatronBlueprint, ResourceSpec, get_scoped_or_404, register_crud, require
from patron_sales.models.leads import Lead
from patron_sales.permissions import CONVERT_LEADS, LEADS
from patron_sales.schemas.leads import ConversionSchema, ConvertLeadSchema, LeadSchema
from patron_sales.services.conversion import convert_lead

LEADS_SPEC = ResourceSpec(
    name="leads", model=Lead, schema=LeadSchema, permission=LEADS, event="lead", entity="lead",
    filterable=("status", "rating", "source", "email", "company", "domain", "score",
                "owner_id", "created_at", "converted_at"),
    searchable=("first_name", "last_name", "company", "email"),
    sortable=("last_name", "company", "score", "status", "created_at", "updated_at"),
)


def register(blp: PatronBlueprint) -> None:
    """Add the leads and their conversion to ``blp``."""
    register_crud(blp, LEADS_SPEC)

    @blp.route("/leads/<uuid:record_id>/convert", methods=["POST"])
    @blp.arguments(ConvertLeadSchema)
    @blp.response(200, ConversionSchema)
    def convert(data: dict, record_id: uuid.UUID):
        """Convert a lead into an account, a contact and optionally an opportunity"""
        require(CONVERT_LEADS)
        lead = get_scoped_or_404(Lead, record_id, LEADS)
        return convert_lead(lead, data)
