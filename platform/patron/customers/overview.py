"""What surrounds a record: its timeline, its files, and for an account the whole 360° view.

The API (``GET /accounts/<id>/360``) and the pages assemble these sections here, so both show
the same records through the same permission checks and data scopes. Each section is the
first page of a standard list (follow its cursor, or the list with the same filter, for the
rest), or ``None`` when the user may not read that kind of record.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_login import current_user

from patron.auth.models import User
from patron.customers.attachments import PERMISSION as ATTACHMENTS
from patron.customers.attachments import attachments_of
from patron.customers.models import Account
from patron.customers.panels import account_panels
from patron.rbac.access import can
from patron.records.listing import list_records
from patron.records.spec import spec_for

#: How many related records each section shows.
SECTION_LIMIT = 20


def timeline_filter(entity: str, record_id: uuid.UUID) -> dict[str, str]:
    """The activity filter that finds the timeline of a record.

    An account's timeline is its ``account_id`` (a contact's activities are on its account's
    too), a contact's its ``contact_id``; any other record — a module's deal, say — is named by
    ``related_entity`` and ``related_id``.
    """
    if entity in ("account", "contact"):
        return {f"{entity}_id": str(record_id)}
    return {"related_entity": entity, "related_id": str(record_id)}


def _first_page(entity: str, args: dict) -> dict | None:
    spec = spec_for(entity)
    if not can(f"{spec.permission}.read"):
        return None
    return list_records(spec, {"limit": SECTION_LIMIT, **args}, current_user)


def timeline(entity: str, record_id: uuid.UUID) -> dict | None:
    """The newest activities of the record the user may see (``None``: no permission)."""
    return _first_page("activity", {**timeline_filter(entity, record_id), "sort": "-created_at"})


def files(entity: str, record: Any) -> dict | None:
    """The newest attachments of ``record``, which the caller has read (``None``: the user
    may not read attachments)."""
    if not can(f"{ATTACHMENTS}.read"):
        return None
    return attachments_of(entity, record, {"limit": SECTION_LIMIT}, current_user)


def account_overview(account: Account, user: User) -> dict:
    """The 360° view of an account the user may read: its contacts, timeline, files and the
    panels of the tenant's enabled modules that the user is allowed to see."""
    return {
        "account": account,
        "contacts": _first_page("contact", {"account_id": str(account.id)}),
        "activities": timeline("account", account.id),
        "attachments": files("account", account),
        "panels": account_panels(account, user),
    }
