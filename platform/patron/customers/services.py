"""Operations on accounts, contacts, products and activities: validate, change, flush.

Each resource's ``ResourceSpec`` (:mod:`patron.api.customers`) hands its create, update and
delete to the :class:`~patron.records.rules.Rules` here, so the API, pages and imports apply
the same rules. Nothing
here commits: the request (or import job) does, once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, exists, select

from patron.customers.attachments import delete_attachments_of
from patron.customers.models import Account, Activity, Contact, Product
from patron.db import db
from patron.db.mixins import utcnow
from patron.errors import ValidationFailed
from patron.rbac.models import Department
from patron.records.readable import check_reference, readable_entity
from patron.records.rules import Rules, Unique
from patron.tenancy.services import tenant_currency

CONSENT_FLAGS = ("email_opt_in", "phone_opt_in")


def _exists(criterion: ColumnElement[bool]) -> bool:
    return db.session.execute(select(exists().where(criterion))).scalar()


def _rules(model: type, entity: str, check: Callable[[dict, Any], None] | None,
           **options) -> Rules:
    """The rules of a customer-master model: a deleted record takes its files with it."""
    return Rules(model, check=check, noun=entity, **options,
                 before_delete=lambda record: delete_attachments_of(entity, record.id))


def _in_tenant_currency() -> dict:
    return {"currency": tenant_currency()}


# ---- accounts ------------------------------------------------------------------------------


def is_ancestor_or_self(account_id: uuid.UUID, of: uuid.UUID) -> bool:
    """Whether ``account_id`` is ``of`` or above it in the account hierarchy.

    One recursive query up the parent chain (``UNION`` also stops on a cycle already in the
    data), whatever the depth.
    """
    chain = (select(Account.id, Account.parent_id).where(Account.id == of)
             .cte("chain", recursive=True))
    chain = chain.union(
        select(Account.id, Account.parent_id).where(Account.id == chain.c.parent_id)
    )
    return db.session.execute(select(exists().where(chain.c.id == account_id))).scalar()


def _check_account(data: dict, account: Account | None) -> None:
    if (data.get("parent_id") and account is not None
            and is_ancestor_or_self(account.id, data["parent_id"])):
            raise ValidationFailed({"parent_id": [
                "An account cannot be placed below itself or one of its sub-accounts."]})
    if data.get("department_id") and not _exists(Department.id == data["department_id"]):
        raise ValidationFailed({"department_id": ["No such department."]})


ACCOUNT_RULES = _rules(Account, "account", _check_account, references={
    "parent_id": "account"}, used_by=lambda account: {
    "sub-accounts": Account.parent_id == account.id,
    "contacts": Contact.account_id == account.id,
    "activities": Activity.account_id == account.id,
})


# ---- contacts ------------------------------------------------------------------------------


def sync_emails(data: dict, contact: Contact | None = None) -> None:
    """Keep ``email`` the lower-cased first entry of ``emails``, whichever of them was sent.

    Sending ``email`` alone replaces the primary address; sending ``emails`` alone makes its
    first entry the primary one.
    """
    if "email" not in data and "emails" not in data:
        return
    emails = list(data.get("emails", contact.emails if contact else []))
    if "email" in data:
        if "emails" not in data:
            emails = emails[1:]  # the previous primary address is being replaced
        primary = data["email"]
        emails = [e for e in emails if not primary or e.lower() != primary.lower()]
        emails = [primary, *emails] if primary else emails
    data["emails"] = emails
    data["email"] = emails[0].lower() if emails else None


def _prepare_contact(data: dict, contact: Contact | None) -> None:
    sync_emails(data, contact)
    if any(flag in data and (contact is None or data[flag] != getattr(contact, flag))
           for flag in CONSENT_FLAGS):
        data["consent_updated_at"] = utcnow()


CONTACT_RULES = _rules(Contact, "contact", _prepare_contact, references={
    "account_id": "account"}, used_by=lambda contact: {
    "activities": Activity.contact_id == contact.id,
})


# ---- products ------------------------------------------------------------------------------


#: A product still used by a module's records (quote lines, say) is kept by their foreign keys.
PRODUCT_RULES = _rules(Product, "product", None, defaults=_in_tenant_currency, unique=(
    Unique(("sku",), "sku", "Another product already has this SKU."),))


# ---- activities ----------------------------------------------------------------------------


def _check_related(entity_name: str | None, record_id: uuid.UUID | None) -> None:
    if (entity_name is None) != (record_id is None):
        missing = "related_id" if record_id is None else "related_entity"
        raise ValidationFailed({missing: ["Give related_entity and related_id together."]})
    if entity_name is not None:
        if readable_entity(entity_name) is None:
            raise ValidationFailed({"related_entity": ["No such entity."]})
        check_reference("related_id", entity_name, record_id)


#: Kinds of activity that record something that happened (a call made, a mail sent): logged
#: without a status or a due time still ahead, they are done, not open work.
LOGGED_KINDS = ("call_in", "call_out", "email", "note")


def _prepare_activity(data: dict, activity: Activity | None) -> None:
    def value(name: str) -> Any:
        return data[name] if name in data else getattr(activity, name, None)

    if activity is None and "status" not in data and data.get("kind") in LOGGED_KINDS and (
            data.get("due_at") is None or data["due_at"] <= utcnow()):
        data["status"] = "done"
    if activity is not None and ("due_at" in data or "start_at" in data):
        data["reminded_at"] = None  # moved: its owner is reminded again before the new time

    if data.get("account_id"):
        check_reference("account_id", "account", data["account_id"])
    if data.get("contact_id"):
        contact = check_reference("contact_id", "contact", data["contact_id"])
        if value("account_id") is None:  # the contact's account shares its timeline
            data["account_id"] = contact.account_id
    if "related_entity" in data or "related_id" in data:
        _check_related(value("related_entity"), value("related_id"))
    start_at, end_at = value("start_at"), value("end_at")
    if start_at and end_at and end_at < start_at:
        raise ValidationFailed({"end_at": ["Must not be before start_at."]})


ACTIVITY_RULES = _rules(Activity, "activity", _prepare_activity,
                    defaults=_in_tenant_currency)
