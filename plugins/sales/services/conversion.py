"""Converting a lead into an account, a contact and (optionally) an opportunity.

One transaction: the request commits everything or, on any refusal, nothing. The account is
the one named, else the one matching the lead's domain or company name (the core's
duplicate matching, in the user's data scope), else a new one; the contact likewise by
e-mail; the contact becomes the new deal's primary contact. Records are created through the
core's record operations, so custom fields, field security, audit, search and events apply as
if they were created through the API. The lead keeps the lineage, is marked ``converted``,
and ``lead.converted`` is emitted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from patron.sdk import (
    UPDATE,
    Conflict,
    Matcher,
    ValidationFailed,
    check_reference,
    create_record,
    db,
    emit,
    find_target,
    require,
    spec_for,
    update_record,
    utcnow,
)
from patron_sales.models.deals import OpportunityContact
from patron_sales.models.leads import Lead
from patron_sales.permissions import OPPORTUNITIES

#: A converted lead's status: it lives on as the account, contact and deal it became.
CONVERTED = "converted"


@dataclass
class Conversion:
    """What a conversion linked or created."""

    lead: Lead
    account_id: uuid.UUID
    account_created: bool
    contact_id: uuid.UUID
    contact_created: bool
    opportunity_id: uuid.UUID | None = None


def _create(entity: str, raw: dict, field: str) -> Any:
    """Create a record of ``entity`` from ``raw`` as its API would; errors under ``field``."""
    spec = spec_for(entity)
    require(f"{spec.permission}.create")
    try:
        return create_record(spec, spec.schema().load(raw))
    except ValidationError as error:
        raise ValidationFailed({field: error.messages}) from error
    except ValidationFailed as error:
        raise ValidationFailed({field: error.errors}) from error


def _matching(entity: str, values: dict, field: str) -> Any | None:
    """The one record of ``entity`` that ``values`` identify, ``None`` if none; 422 on
    ``field`` when several match (the caller must then name one)."""
    target = find_target(entity)
    matcher = Matcher(target, UPDATE)
    key = matcher.key(values)
    if key is None:
        return None
    found = matcher.existing([key]).get(key, [])
    if len(found) > 1:
        raise ValidationFailed({field: [
            f"{len(found)} existing {entity} records match the lead's {key[0]}; "
            f"give {field} to choose one."]})
    return found[0] if found else None


def _account(lead: Lead, account_id: uuid.UUID | None, given: dict) -> tuple[Any, bool]:
    if account_id is not None:
        return check_reference("account_id", "account", account_id), False
    name = lead.company or lead.full_name
    existing = _matching("account", {"domain": lead.domain, "name": name}, "account_id")
    if existing is not None:
        return existing, False
    raw = {"name": name, "kind": "company" if lead.company else "individual",
           "domain": lead.domain, "industry": lead.industry, "phone": lead.phone,
           "website": lead.website, "custom": given.get("custom")}
    return _create("account", {k: v for k, v in raw.items() if v is not None}, "account"), True


def _contact(lead: Lead, contact_id: uuid.UUID | None, account_id: uuid.UUID,
             given: dict) -> tuple[Any, bool]:
    if contact_id is not None:
        return check_reference("contact_id", "contact", contact_id), False
    existing = _matching("contact", {"email": lead.email}, "contact_id")
    if existing is not None:
        return existing, False
    raw = {"first_name": lead.first_name, "last_name": lead.last_name, "title": lead.title,
           "email": lead.email, "phones": [lead.phone] if lead.phone else None,
           "account_id": str(account_id), "custom": given.get("custom")}
    return _create("contact", {k: v for k, v in raw.items() if v is not None}, "contact"), True


def _opportunity(lead: Lead, account_id: uuid.UUID, given: dict) -> Any:
    require(f"{OPPORTUNITIES}.create")
    raw = {"name": lead.company or lead.full_name, "source": lead.source, **given,
           "account_id": account_id}
    spec = spec_for("opportunity")
    # ``given`` was loaded by ConvertOpportunitySchema already: no second load.
    try:
        return create_record(spec, {k: v for k, v in raw.items() if v is not None})
    except ValidationFailed as error:
        raise ValidationFailed({"opportunity": error.errors}) from error


def convert_lead(lead: Lead, data: dict) -> Conversion:
    """Convert ``lead`` (see the module docstring); 409 if it already was, or is
    disqualified."""
    if lead.converted_at is not None:
        raise Conflict("the lead has already been converted")
    if lead.status == "disqualified":
        raise Conflict("a disqualified lead cannot be converted; requalify it first")
    account, account_created = _account(lead, data.get("account_id"), data.get("account") or {})
    contact, contact_created = _contact(lead, data.get("contact_id"), account.id,
                                        data.get("contact") or {})
    opportunity = None
    if data.get("opportunity") is not None:
        opportunity = _opportunity(lead, account.id, data["opportunity"])
        # The person the lead was is the deal's first contact.
        db.session.add(OpportunityContact(opportunity_id=opportunity.id, contact_id=contact.id,
                                          role="other", is_primary=True))
    update_record(spec_for("lead"), lead, {
        "status": CONVERTED, "converted_at": utcnow(), "account_id": account.id,
        "contact_id": contact.id, "opportunity_id": opportunity.id if opportunity else None,
    })
    conversion = Conversion(lead, account.id, account_created, contact.id, contact_created,
                            opportunity.id if opportunity else None)
    emit("lead.converted", {
        "id": str(lead.id), "account_id": str(account.id), "account_created": account_created,
        "contact_id": str(contact.id), "contact_created": contact_created,
        "opportunity_id": str(opportunity.id) if opportunity else None,
    })
    return conversion
