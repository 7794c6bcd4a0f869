"""Whom the sales module tells, and what, when its events happen: the approver when an
approval is asked of them, the rep when it is decided, the owner when a deal stalls or an
account goes back to the pool (:func:`patron.sdk.notify`, in the change's transaction)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from patron.sdk import User, db, notify, page_path
from patron_sales.models.commerce import Contract, Quote


def _name_of_user(user_id: str | None) -> str:
    if not user_id:
        return ""
    return db.session.execute(select(User.name).where(
        User.id == uuid.UUID(user_id))).scalar_one_or_none() or ""


def _subject(payload: dict) -> tuple[str, str]:
    """The name and page path of the quote or contract an approval is about."""
    if payload.get("quote_id"):
        quote_id = uuid.UUID(payload["quote_id"])
        name = db.session.execute(select(Quote.name).where(Quote.id == quote_id)).scalar()
        return name or "", page_path("sales_pages.quote_page", record_id=quote_id)
    contract_id = uuid.UUID(payload["contract_id"])
    name = db.session.execute(select(Contract.name).where(Contract.id == contract_id)).scalar()
    return name or "", page_path("records.record_detail", entity="contract",
                                 record_id=contract_id)


def _approval_requested(payload: dict) -> None:
    subject, link = _subject(payload)
    notify([payload.get("owner_id")], _l(
        "%(name)s asks you to approve %(subject)s (%(reason)s).",
        name=_name_of_user(payload.get("requested_by")), subject=subject,
        reason=payload.get("reason") or ""), kind="sales.approval_requested", link=link)


def _approval_decided(payload: dict) -> None:
    subject, link = _subject(payload)
    approved = payload.get("status") == "approved"
    message = (_l("%(name)s approved %(subject)s.", name=_name_of_user(payload.get("owner_id")),
                  subject=subject) if approved else
               _l("%(name)s refused %(subject)s: %(comment)s",
                  name=_name_of_user(payload.get("owner_id")), subject=subject,
                  comment=payload.get("comment") or "—"))
    notify([payload.get("requested_by")], message, kind="sales.approval_decided", link=link)


def _stalled(payload: dict) -> None:
    notify([payload.get("owner_id")], _l(
        "The deal %(name)s has stalled in %(stage)s.", name=payload.get("name", ""),
        stage=payload.get("stage", "")), naming=("opportunity", "name"),
        instead=_l("A deal of yours has stalled in %(stage)s.", stage=payload.get("stage", "")),
        kind="sales.deal_stalled",
        link=page_path("sales_pages.deal_page", record_id=payload["id"]))


def _returned_to_pool(payload: dict) -> None:
    notify([payload.get("previous_owner_id")], _l(
        "%(name)s went back to the customer pool.", name=payload.get("name", "")),
        naming=("account", "name"),
        instead=_l("An account of yours went back to the customer pool."),
        kind="sales.account_returned", link=page_path("sales_pages.pool_page"))


NOTICES: dict[str, Callable[[dict], None]] = {
    "approval.requested": _approval_requested,
    "approval.approved": _approval_decided,
    "approval.rejected": _approval_decided,
    "opportunity.stalled": _stalled,
    "account.returned_to_pool": _returned_to_pool,
}
