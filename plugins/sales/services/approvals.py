"""Approvals: a quote whose discount (overall or on a line) exceeds the tenant's threshold
cannot be sent, and a contract whose value exceeds it cannot be signed (made ``active``),
until the owner's manager approves. Any later change to the quote or contract supersedes the
approval, so what was approved is what goes out.

Events: ``approval.requested`` (to the approver) and ``approval.approved|rejected``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from flask import abort
from sqlalchemy import func, select, update

from patron.sdk import (
    Conflict,
    ResourceSpec,
    TenantSettings,
    User,
    acting_user_id,
    can,
    db,
    emit,
    scoped_select,
    tenant_currency,
    utcnow,
)
from patron_sales.models.approvals import (
    APPROVED,
    PENDING,
    REJECTED,
    SUPERSEDED,
    Approval,
    SalesSettings,
    approval_column,
    approval_statuses,
)
from patron_sales.models.commerce import Quote, QuoteLine
from patron_sales.permissions import APPROVALS, SETTINGS
from patron_sales.schemas.approvals import ApprovalSchema, SalesSettingsSchema

#: The tenant's approval thresholds: one row, made empty (no approval needed) the first time
#: it is asked for; its changes are announced as ``sales_settings.updated``.
SALES_SETTINGS = TenantSettings(ResourceSpec(
    name="settings", model=SalesSettings, schema=SalesSettingsSchema, permission=SETTINGS,
    event="sales_settings"))


def why_needed(record: Any) -> str | None:
    """Why ``record`` (a quote or contract) needs approval; ``None`` if it does not."""
    rules = SALES_SETTINGS.current()
    if isinstance(record, Quote):
        limit = rules.quote_discount_threshold
        if limit is None:
            return None
        deepest = db.session.execute(
            select(func.max(QuoteLine.discount_percent)).where(QuoteLine.quote_id == record.id)
        ).scalar()
        discount = max(Decimal(record.discount_percent or 0), Decimal(deepest or 0))
        return f"discount {discount}% above {limit}%" if discount > limit else None
    limit = rules.contract_value_threshold
    if limit is None:
        return None
    if record.currency != tenant_currency():
        return f"value in {record.currency}; the threshold is in {tenant_currency()}"
    return f"value {record.value} above {limit}" if record.value > limit else None


def status_of(record: Any) -> str | None:
    """The state of the record's current approval request (``None`` if none is open)."""
    return approval_statuses([record]).get(record.id)


def check_approved(record: Any, action: str) -> None:
    """409 when ``record`` needs approval for ``action`` and has not been approved."""
    reason = why_needed(record)
    if reason is not None and status_of(record) != APPROVED:
        raise Conflict(f"needs the owner's manager's approval before it can be {action} "
                       f"({reason}); request it first")


def supersede(record: Any) -> None:
    """The record changed: its pending or granted approval no longer holds."""
    db.session.execute(
        update(Approval).where(approval_column(type(record)) == record.id,
                               Approval.status.in_((PENDING, APPROVED)))
        .values(status=SUPERSEDED, version=Approval.version + 1),
        execution_options={"synchronize_session": False},
    )


def request_approval(record: Any) -> Approval:
    """Ask the owner's manager to approve ``record``; 409 if it needs none, already has a
    request open, or its owner has no manager."""
    reason = why_needed(record)
    if reason is None:
        raise Conflict("this needs no approval")
    if status_of(record) in (PENDING, APPROVED):
        raise Conflict(f"an approval is already {status_of(record)}")
    manager_id = db.session.execute(
        select(User.manager_id).where(User.id == record.owner_id)).scalar_one_or_none()
    if manager_id is None:
        raise Conflict("the owner has no manager to approve it")
    subject = approval_column(type(record)).key
    approval = Approval(owner_id=manager_id, requested_by=acting_user_id(), reason=reason,
                        status=PENDING, **{subject: record.id})
    db.session.add(approval)
    db.session.flush()
    emit("approval.requested", _payload(approval))
    return approval


def pending_request(kind: type, record_id: uuid.UUID) -> Approval | None:
    """The open request about the ``kind`` (:class:`Quote` or ``Contract``) record that the
    signed-in user may decide: addressed to them, or in their approvals scope; else ``None``."""
    if not can(f"{APPROVALS}.update"):
        return None
    return db.session.execute(
        scoped_select(Approval, APPROVALS).where(approval_column(kind) == record_id,
                                                 Approval.status == PENDING)
    ).scalar_one_or_none()


def decide(approval: Approval, approved: bool, comment: str | None) -> None:
    """Approve or reject a pending request."""
    if approval.status != PENDING:
        raise Conflict(f"the request is {approval.status}")
    approval.status = APPROVED if approved else REJECTED
    approval.comment = comment
    approval.decided_at = utcnow()
    db.session.flush()
    emit(f"approval.{approval.status}", {**_payload(approval),
                                         "changes": {"status": [PENDING, approval.status]}})


def decide_pending(kind: type, record_id: uuid.UUID, approved: bool,
                   comment: str | None) -> Approval:
    """Approve or reject the open request about the ``kind`` record ``record_id`` as its
    approver (see :func:`pending_request`); 404 for anyone else, whether or not they may see
    the record."""
    approval = pending_request(kind, record_id)
    if approval is None:
        abort(404)
    decide(approval, approved, comment)
    return approval


def _payload(approval: Approval) -> dict:
    return ApprovalSchema().dump(approval)
