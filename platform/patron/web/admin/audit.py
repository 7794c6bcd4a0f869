"""``/admin/audit``: the tenant's audit log, newest first, with filters and "Load more".

The page reads through the API's own list of ``/audit-events``
(:func:`~patron.api.resources.list_records` with its spec: the same filters, keyset paging and
tenant scoping) and dumps each event with the API's schema, which leaves out the values of
fields hidden from the viewer's role. Its filter form uses the API's parameter names, so a
copied URL means the same as an API query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from patron.audit.models import AuditEvent
from patron.audit.schemas import AuditEventSchema
from patron.auth.models import User
from patron.db import db
from patron.errors import ValidationFailed
from patron.rbac.access import require
from patron.records.listing import list_records
from patron.records.spec import spec_for
from patron.web.admin.blueprint import bp
from patron.web.changes import INTERFACES, Change, ChangeWriter, action_label, interface_label
from patron.web.display import reference_names
from patron.web.fields import FieldInfo, entity_spec, schema_fields
from patron.web.labels import label
from patron.web.links import record_url
from patron.web.list_query import list_args
from patron.web.messages import translated

AUDIT_EVENTS = "audit-events"
PAGE_SIZE = 50
#: What the filter form's inputs are called, for error messages about them.
PARAMETERS = {"actor_id": _l("Actor"), "entity": _l("Record type"), "action": _l("Action"),
              "interface": _l("Interface"), "occurred_at__gte": _l("From"),
              "occurred_at__lte": _l("To"), "record_id": _l("Record"),
              "cursor": _l("Page"), "sort": _l("Order")}


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
    dumps = AuditEventSchema(many=True).dump(events)
    writer = ChangeWriter((event.entity, dumped["changes"])
                          for event, dumped in zip(events, dumps, strict=True))
    rows = []
    for event, dumped in zip(events, dumps, strict=True):
        record_id = str(event.record_id) if event.record_id else None
        title = titles.get(record_id) if record_id else None
        action, changes = writer.described(event.entity, event.action, dumped["changes"])
        rows.append(AuditRow(
            occurred_at=event.occurred_at,
            actor=actors.get(event.actor_id, str(event.actor_id)) if event.actor_id
            else str(INTERFACES["system"]),
            interface=interface_label(event.interface), action=action,
            entity=event.entity, record_id=record_id, record_title=title,
            record_url=record_url(event.entity, event.record_id) if title is not None
            else None,
            changes=changes,
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
