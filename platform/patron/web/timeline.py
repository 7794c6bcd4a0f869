"""The timeline of a record's page: the activities linked to the record, newest first, and a
short form to log one.

The activities are read through :func:`patron.customers.overview.timeline` (the user's data
scope on activities applies) and logged through :mod:`patron.api.operations`, so the form gets
the API's validation and events; its errors are shown next to its fields.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from patron.customers.overview import timeline, timeline_filter
from patron.rbac.access import can
from patron.records.spec import spec_for
from patron.web.display import reference_names
from patron.web.fields import FieldInfo, record_fields
from patron.web.list_query import list_url
from patron.web.record_forms import parse_form
from patron.web.writes import Outcome, save_new

#: The fields of the quick "log an activity" form (plus any required custom field).
LOG_FIELDS = ("kind", "subject", "due_at", "priority", "description")
#: What each entry of the timeline shows (its subject as the link), besides when it was logged.
ENTRY_FIELDS = ("subject", "kind", "status", "due_at", "owner_id", "description")


def visible_fields(entity: str, names: tuple[str, ...]) -> list[FieldInfo]:
    """The fields ``names`` of ``entity``'s records that the user may see, in that order."""
    by_name = {f.name: f for f in record_fields(spec_for(entity))}
    return [by_name[name] for name in names if name in by_name]


@dataclass
class Timeline:
    """What the timeline shows: the first activities, where the rest are, and the log form.

    ``columns`` are what each entry shows (with ``names`` for its references); ``fields`` the
    log form's inputs, empty when the user may not create activities (no form then).
    """

    items: list
    all_url: str
    more: bool
    columns: list[FieldInfo]
    names: dict[str, str]
    fields: list[FieldInfo] = field(default_factory=list)
    form: MultiDict = field(default_factory=MultiDict)
    errors: dict = field(default_factory=dict)


def log_fields() -> list[FieldInfo]:
    """The inputs of the log form, or none when the user may not create activities."""
    spec = spec_for("activity")
    if not can(f"{spec.permission}.create"):
        return []
    return [f for f in record_fields(spec)
            if f.editable and (f.name in LOG_FIELDS or (f.custom and f.required))]


def timeline_section(entity: str, record_id: uuid.UUID, page: dict | None, *,
                     with_form: bool = True, form: MultiDict | None = None,
                     errors: dict | None = None) -> Timeline | None:
    """The timeline of a record from a first ``page`` of its activities (``None``: the user
    may not read activities); ``form`` and ``errors`` are a refused submission to show again."""
    if page is None:
        return None
    columns = visible_fields("activity", ENTRY_FIELDS)
    return Timeline(
        items=page["items"], more=page["next_cursor"] is not None, columns=columns,
        names=reference_names(columns, page["items"]),
        all_url=list_url("activity", timeline_filter(entity, record_id)),
        fields=log_fields() if with_form else [], form=form or MultiDict(), errors=errors or {},
    )


def record_timeline(entity: str, record_id: uuid.UUID, form: MultiDict | None = None,
                    errors: dict | None = None) -> Timeline | None:
    """The timeline tab of a record's page, with its log form."""
    return timeline_section(entity, record_id, timeline(entity, record_id), form=form,
                            errors=errors)


def log_activity(entity: str, record_id: uuid.UUID, form: MultiDict) -> Outcome:
    """Create an activity on the record from the log form (refusals come back as errors)."""
    data, errors = parse_form(log_fields(), form, creating=True)
    return save_new(spec_for("activity"), {**data, **timeline_filter(entity, record_id)}, errors)
