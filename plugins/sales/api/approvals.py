"""``/api/v1/sales/``: approvals of quotes and contracts (``POST quotes/<id>/approval`` asks,
``…/approval/approve|reject`` decide, ``GET approvals`` is the approver's inbox) and the
tenant's sales ``settings`` (the approval thresholds)."""

from __future__ import annotations

import uuid

from flask_login import current_user

from patron.sdk import (
    PatronBlueprint,
    ResourceSpec,
    get_scoped_or_404,
    list_args_schema,
    list_records,
    page_schema,
    register_settings,
    require,
)
from patron_sales.models.approvals import Approval
from patron_sales.models.commerce import Contract, Quote
from patron_sales.permissions import APPROVALS, CONTRACTS, QUOTES, SETTINGS
from patron_sales.schemas.approvals import ApprovalSchema, DecisionSchema
from patron_sales.services import approvals

#: The approver's inbox: listed (filters, paging) but reached per quote or contract.
APPROVALS_SPEC = ResourceSpec(
    name="approvals", model=Approval, schema=ApprovalSchema, permission=APPROVALS,
    event="approval", filterable=("quote_id", "contract_id", "status", "owner_id",
                                  "requested_by", "created_at"),
    sortable=("created_at",), writable=False,
)
#: What an approval can be about: URL segment, model, permission prefix.
SUBJECTS = {"quotes": (Quote, QUOTES), "contracts": (Contract, CONTRACTS)}


def _request(segment: str, record_id: uuid.UUID):
    model, permission = SUBJECTS[segment]
    require(f"{permission}.update")
    return approvals.request_approval(get_scoped_or_404(model, record_id, permission)), 201


def _decide(segment: str, record_id: uuid.UUID, data: dict, approved: bool) -> Approval:
    model, _ = SUBJECTS[segment]
    require(f"{APPROVALS}.update")
    return approvals.decide_pending(model, record_id, approved, data.get("comment"))


def _approval_routes(blp: PatronBlueprint, segment: str) -> None:
    """Ask, approve and reject routes for one kind of record."""
    noun = segment.removesuffix("s")

    @blp.route(f"/{segment}/<uuid:record_id>/approval", methods=["POST"],
               endpoint=f"{noun}_approval_request")
    @blp.response(201, ApprovalSchema)
    def request_view(record_id: uuid.UUID):
        """Ask the owner's manager to approve it (when its terms need approval)"""
        return _request(segment, record_id)

    for action, approved in (("approve", True), ("reject", False)):
        _decision_route(blp, segment, action, approved)


def _decision_route(blp: PatronBlueprint, segment: str, action: str, approved: bool) -> None:
    """``POST /<segment>/<id>/approval/<action>``: the approver approves or rejects."""

    def decision_view(data: dict, record_id: uuid.UUID):
        return _decide(segment, record_id, data, approved)

    # The summary in the OpenAPI document; set before the decorators copy it.
    decision_view.__doc__ = f"{action.capitalize()} the pending request (its approver only)"
    route = blp.route(f"/{segment}/<uuid:record_id>/approval/{action}", methods=["POST"],
                      endpoint=f"{segment.removesuffix('s')}_approval_{action}")
    route(blp.arguments(DecisionSchema)(blp.response(200, ApprovalSchema)(decision_view)))


def register(blp: PatronBlueprint) -> None:
    """Add the approver's inbox, asking for and deciding approvals of quotes and contracts,
    and the tenant's sales settings to ``blp``."""

    @blp.route("/approvals", methods=["GET"])
    @blp.arguments(list_args_schema(APPROVALS_SPEC), location="query")
    @blp.response(200, page_schema(ApprovalSchema))
    def approval_inbox(args: dict):
        """Approval requests (a manager sees those addressed to them)"""
        require(f"{APPROVALS}.read")
        return list_records(APPROVALS_SPEC, args, current_user)

    for segment in SUBJECTS:
        _approval_routes(blp, segment)
    register_settings(blp, "/settings", approvals.SALES_SETTINGS, read=f"{SETTINGS}.read",
                      update=f"{SETTINGS}.update", title="The tenant's sales settings")
