"""Translatable names for what the pages show generically: fields, record types, choices.

Schemas and entities are registered by code the web layer does not own, so their names reach
the pages as identifiers (``created_at``, ``accounts``, ``company``). The names the core and
the customer master use are listed here with their translations; anything else is shown
humanised (``lead_source`` → "Lead source").
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from patron.entities import entities, lookups
from patron.plugins.manager import registry

LABELS = {
    # record fields
    "id": _l("Id"),
    "name": _l("Name"),
    "kind": _l("Kind"),
    "domain": _l("Domain"),
    "industry": _l("Industry"),
    "phone": _l("Phone"),
    "mobile": _l("Mobile"),
    "website": _l("Website"),
    "email": _l("E-mail"),
    "title": _l("Title"),
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "account_id": _l("Account"),
    "contact_id": _l("Contact"),
    "product_id": _l("Product"),
    "owner_id": _l("Owner"),
    "manager_id": _l("Manager"),
    "department_id": _l("Department"),
    "role_id": _l("Role"),
    "parent_id": _l("Parent"),
    "sku": _l("SKU"),
    "code": _l("Code"),
    "price": _l("Price"),
    "unit_price": _l("Unit price"),
    "currency": _l("Currency"),
    "unit": _l("Unit"),
    "active": _l("Active"),
    "is_active": _l("Active"),
    "is_default": _l("Default"),
    "subject": _l("Subject"),
    "body": _l("Text"),
    "notes": _l("Notes"),
    "description": _l("Description"),
    "type": _l("Type"),
    "status": _l("Status"),
    "due_at": _l("Due"),
    "occurred_at": _l("When"),
    "done": _l("Done"),
    "address": _l("Address"),
    "city": _l("City"),
    "country": _l("Country"),
    "full_name": _l("Name"),
    "emails": _l("E-mail addresses"),
    "phones": _l("Phone numbers"),
    "email_opt_in": _l("Agrees to e-mail"),
    "phone_opt_in": _l("Agrees to calls"),
    "consent_updated_at": _l("Consent changed"),
    "size": _l("Size"),
    "list_price": _l("List price"),
    "priority": _l("Priority"),
    "start_at": _l("Starts"),
    "end_at": _l("Ends"),
    "related_entity": _l("Related record type"),
    "related_id": _l("Related record"),
    "order_id": _l("Sales order"),
    "cost": _l("Cost"),
    "outcome": _l("Outcome"),
    "created_at": _l("Created"),
    "updated_at": _l("Updated"),
    "version": _l("Version"),
    "password": _l("Password"),
    "locale": _l("Language"),
    "timezone": _l("Time zone"),
    "tax_number": _l("Tax number"),
    "secret": _l("Signing secret"),
    "events": _l("Events"),
    "enabled": _l("Enabled"),
    "message": _l("Message"),
    "module": _l("Module"),
    "entity": _l("Record type"),
    "path": _l("Path"),
    "filename": _l("File name"),
    "content_type": _l("File type"),
    "uploaded_by": _l("Uploaded by"),
    "parent_entity": _l("Attached to"),
    "default_scope": _l("Default data scope"),
    "is_system": _l("Built in"),
    "token": _l("API token"),
    "attachment": _l("Attachment"),
    "custom_field": _l("Custom field"),
    "webhook": _l("Webhook"),
    "en": _l("English"),
    "zh_Hans": _l("Chinese (simplified)"),
    # record types (spec names)
    "accounts": _l("Accounts"),
    "contacts": _l("Contacts"),
    "products": _l("Products"),
    "activities": _l("Activities"),
    "users": _l("Users"),
    "roles": _l("Roles"),
    "departments": _l("Departments"),
    "customfields": _l("Custom fields"),
    "webhooks": _l("Webhooks"),
    "attachments": _l("Attachments"),
    "audit": _l("Audit log"),
    "admin": _l("Admin"),
    "tenant": _l("Tenant settings"),
    "modules": _l("Modules"),
    # entities (singular)
    "account": _l("Account"),
    "contact": _l("Contact"),
    "product": _l("Product"),
    "activity": _l("Activity"),
    # choices
    "company": _l("Company"),
    "individual": _l("Individual"),
    "prospect": _l("Prospect"),
    "inactive": _l("Inactive"),
    "call_in": _l("Incoming call"),
    "call_out": _l("Outgoing call"),
    "meeting": _l("Meeting"),
    "task": _l("Task"),
    "note": _l("Note"),
    "visit": _l("Visit"),
    "open": _l("Open"),
    "cancelled": _l("Cancelled"),
    "low": _l("Low"),
    "normal": _l("Normal"),
    "high": _l("High"),
    # days and times
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
    "from": _l("From"),
    "to": _l("To"),
    # permission actions
    "read": _l("Read"),
    "create": _l("Create"),
    "update": _l("Update"),
    "delete": _l("Delete"),
    "manage": _l("Manage"),
    # data scopes
    "own": _l("Own records"),
    "own_and_reports": _l("Own and their reports'"),
    "department": _l("Their department"),
    "department_tree": _l("Their department and below"),
    "all": _l("All records"),
    # custom-field types
    "text": _l("Text"),
    "long_text": _l("Long text"),
    "number": _l("Whole number"),
    "decimal": _l("Decimal number"),
    "date": _l("Date"),
    "datetime": _l("Date and time"),
    "boolean": _l("Yes / no"),
    "select": _l("Choice"),
    "multi_select": _l("Several choices"),
    "user": _l("User"),
    "url": _l("Web address"),
}


def humanise(name: str) -> str:
    """``lead_source`` → "Lead source"; ``custom-fields`` → "Custom fields"."""
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def label(name: str) -> str:
    """The translated label of a field, record type or choice called ``name``; a reference
    field is labelled by what it refers to (``stage_id`` → "Stage")."""
    known = LABELS.get(name)
    if known is None:
        known = module_labels().get(name)
    if known is not None:
        return str(known)
    if name.endswith("_id") and len(name) > 3:
        return label(name.removesuffix("_id"))
    declared = registered_label(name)
    return gettext(str(declared)) if declared is not None else gettext(humanise(name))


def known_label(value: str) -> str | None:
    """The translated label of ``value`` if it is a name the core or a module labels (a
    choice stored as text, a record type): ``None`` for anything else, such as user data."""
    known = LABELS.get(value)
    if known is None and value in entities():
        known = entities()[value].label
    if known is None:
        known = module_labels().get(value)
    return None if known is None else gettext(str(known)) if isinstance(known, str) else str(known)


def module_labels() -> dict[str, Any]:
    """What the modules call their fields and choices (``patron_register_labels``), merged;
    read once per app."""
    if not has_app_context():
        return {}
    if "patron_module_labels" not in current_app.extensions:
        merged: dict[str, Any] = {}
        for table in registry().pm.hook.patron_register_labels():
            merged.update(table or {})
        current_app.extensions["patron_module_labels"] = merged
    return current_app.extensions["patron_module_labels"]


def registered_label(name: str) -> str | None:
    """What the registering module calls the entity or lookup ``name`` (``None`` if neither
    is registered)."""
    if (entity := entities().get(name)) is not None:
        return entity.label
    found = lookups().get(name)
    return found[1].label if found is not None else None


def openapi_choice_labels(converter: Any, field: Any, ret: dict, **kwargs: Any) -> dict:
    """An apispec attribute function (``converter.add_attribute_function``): a field with
    choices gets the words the pages show them with — the same label table — so an API
    client can show what users see: ``x-enum-descriptions`` in the order of ``enum`` (an
    extension code generators read) and a "Choices:" line in its description. Written in
    the default language, as the rest of the document is."""
    enum = ret.get("enum")
    if not enum or not any(isinstance(value, str) for value in enum):
        return {}
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        words = [(known_label(value) or humanise(value)) if isinstance(value, str) else ""
                 for value in enum]
    listed = "; ".join(f"{value} = {word}" for value, word in zip(enum, words, strict=True)
                       if isinstance(value, str))
    description = ret.get("description")
    return {"x-enum-descriptions": words,
            "description": f"{description.rstrip('.')}. Choices: {listed}." if description
            else f"Choices: {listed}."}
