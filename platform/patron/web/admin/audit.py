"""``/admin/audit``: the tenant's audit log, newest first, with filters and "Load more".

The page reads through the API's own list of ``/audit-events``
(:func:`~patron.api.resources.list_records` with its spec: the same filters, keyset paging and
tenant scoping) and dumps each event with the API's schema, which leaves out the values of
fields hidden from the viewer's role. Its filter form uses the API's parameter names, so a
copied URL means the same as an API query.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from patron.audit.models import AuditEvent
from patron.audit.schemas import AuditEventSchema
from patron.auth.models import User
from patron.customfields.services import definitions_of
from patron.db import db
from patron.errors import ValidationFailed
from patron.rbac.access import require
from patron.records.listing import list_records
from patron.records.spec import spec_for
from patron.web.admin.blueprint import bp
from patron.web.display import EMPTY, reference_names
from patron.web.fields import FieldInfo, entity_spec, schema_fields
from patron.web.labels import label
from patron.web.list_query import list_args
from patron.web.messages import translated

AUDIT_EVENTS = "audit-events"
PAGE_SIZE = 50
#: Longest value shown in a change before it is cut short.
MAX_VALUE = 120
#: Where actions can come from (:func:`patron.audit.interface.current_interface`).
INTERFACES = {"web": _l("Web"), "api": _l("API"), "cli": _l("Command line"),
              "worker": _l("Worker"), "system": _l("System")}
#: Actions other than create, update and delete (those are in the shared labels).
ACTIONS = {"user.signed_in": _l("Signed in"), "token.revoked": _l("Token revoked"),
           "module.enabled": _l("Module enabled"), "module.disabled": _l("Module disabled")}
#: What the filter form's inputs are called, for error messages about them.
PARAMETERS = {"actor_id": _l("Actor"), "entity": _l("Record type"), "action": _l("Action"),
              "interface": _l("Interface"), "occurred_at__gte": _l("From"),
              "occurred_at__lte": _l("To"), "record_id": _l("Record"),
              "cursor": _l("Page"), "sort": _l("Order")}


@dataclass(frozen=True)
class Change:
    """One changed field of an event, as text."""

    field: str
    before: str
    after: str


@dataclass
class AuditRow:
    """One event as the table shows it."""

    occurred_at: datetime
    actor: str
    interface: str
    action: str
    entity: str
    record_id: str | None
    record_title: str | None = None
    record_url: str | None = None
    changes: list[Change] = field(default_factory=list)


def action_label(action: str) -> str:
    """The translated name of an audited action."""
    return str(ACTIONS[action]) if action in ACTIONS else label(action)


def interface_label(interface: str) -> str:
    """The translated name of an interface actions come through."""
    return str(INTERFACES.get(interface, interface))


def _text(value: Any) -> str:
    """A value of a change, short enough for a table cell."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def _changes(entity: str, changes: dict) -> list[Change]:
    """``{field: [before, after]}`` as rows; custom fields one by one, under their labels."""
    rows = []
    for name, value in changes.items():
        pair = isinstance(value, list) and len(value) == 2
        if name == "custom" and pair:
            before, after = value[0] or {}, value[1] or {}
            labels = {d.name: d.label for d in definitions_of(entity)}
            rows += [Change(labels.get(key, key), _text(before.get(key)), _text(after.get(key)))
                     for key in sorted({*before, *after}) if before.get(key) != after.get(key)]
        elif pair:
            rows.append(Change(label(name), _text(value[0]), _text(value[1])))
        else:
            rows.append(Change(label(name), EMPTY, _text(value)))
    return rows


def _actors(events: list[AuditEvent]) -> dict[uuid.UUID, str]:
    """Names of the users who acted (deactivated ones included)."""
    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    users = db.session.execute(select(User).where(User.id.in_(ids))).scalars()
    return {user.id: user.name or user.email for user in users}


def _record_titles(events: list[AuditEvent]) -> dict[str, str]:
    """``{record id: title}`` of the records that still exist and the viewer may open.

    Each entity with record pages is looked up as a reference target would be (in the
    viewer's data scope, if they may read it at all); ids are UUIDv7, so looking an id up
    among another entity's records finds nothing rather than something wrong.
    """
    targets = {e.entity for e in events if e.record_id and entity_spec(e.entity)}
    fields = [FieldInfo(name="record_id", key="record_id", label="", kind="reference",
                        target=entity) for entity in targets]
    return reference_names(fields, events)


def audit_rows(events: list[AuditEvent]) -> list[AuditRow]:
    """The events as table rows, their changes redacted as the API redacts them."""
    actors, titles = _actors(events), _record_titles(events)
    rows = []
    for event, dumped in zip(events, AuditEventSchema(many=True).dump(events), strict=True):
        record_id = str(event.record_id) if event.record_id else None
        title = titles.get(record_id) if record_id else None
        rows.append(AuditRow(
            occurred_at=event.occurred_at,
            actor=actors.get(event.actor_id, str(event.actor_id)) if event.actor_id
            else str(INTERFACES["system"]),
            interface=interface_label(event.interface), action=action_label(event.action),
            entity=event.entity, record_id=record_id, record_title=title,
            record_url=url_for("records.record_detail", entity=event.entity,
                               record_id=event.record_id) if title is not None else None,
            changes=_changes(event.entity, dumped["changes"]),
        ))
    return rows


def _distinct(column) -> list[str]:
    """The values ``column`` takes in the tenant's audit log (the filter's choices)."""
    return list(db.session.execute(select(column).distinct().order_by(column)).scalars())


def _filter_errors(errors: dict) -> list[str]:
    """``Parameter: message`` lines, with the form's names for the parameters."""
    return [f"{PARAMETERS.get(param, param)}: {translated(message)}"
            for param, messages in errors.items() for message in messages]


@bp.route("/audit")
@login_required
def audit():
    """The audit log, newest first; ``?cursor=`` from htmx answers with the next rows only."""
    require("core.audit.read")
    spec = spec_for(AUDIT_EVENTS)
    args = list_args(request.args, schema_fields(spec.schema), PAGE_SIZE)
    args.setdefault("sort", "-occurred_at")
    errors: dict = {}
    try:
        page = list_records(spec, args, current_user)
    except ValidationFailed as error:
        page, errors = {"items": [], "next_cursor": None}, error.errors
    next_url = page["next_cursor"] and url_for("admin.audit") + "?" + urlencode(
        {**request.args.to_dict(), "cursor": page["next_cursor"]})
    context = {"rows": audit_rows(page["items"]), "next_url": next_url}
    if request.headers.get("HX-Request") and request.args.get("cursor"):
        return render_template("admin/_audit_rows.html", **context)
    users = db.session.execute(select(User).order_by(User.name, User.email)).scalars()
    return render_template(
        "admin/audit.html", **context, errors=_filter_errors(errors),
        actors=[(str(u.id), u.name or u.email) for u in users],
        entities=[(e, label(e)) for e in _distinct(AuditEvent.entity)],
        actions=[(a, action_label(a)) for a in _distinct(AuditEvent.action)],
        interfaces=[(key, str(text)) for key, text in INTERFACES.items()],
    ), 422 if errors else 200
