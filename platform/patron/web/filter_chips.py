"""The filters a list page is showing, as chips a person reads and removes one by one
("Status: Open ×", "Created ≥ 2026-01-01 ×"): the query string said in words, each chip
linking to the same list without it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from patron.web.fields import FieldInfo
from patron.web.labels import label
from patron.web.list_query import query_without
from patron.web.pickers import picked_title

#: Parameters that choose a page, an order or the columns, not which records.
NOT_FILTERS = ("cursor", "sort", "limit", "count", "columns")
#: How each operator reads.
OPERATORS = {"gte": "≥", "lte": "≤", "contains": "∋", "in": "∈"}


@dataclass(frozen=True)
class Chip:
    """One active filter: what it says and the list without it."""

    label: str
    value: str
    remove_url: str


def _value_text(field: FieldInfo | None, raw: str) -> str:
    if field is None:
        return raw
    if field.kind == "boolean":
        return _("Yes") if raw == "true" else _("No")
    if field.target and field.kind in ("reference", "user"):
        return picked_title(field, raw) or raw
    if field.options:
        return ", ".join(str(label(part)) for part in raw.split(","))
    return raw


def active_filters(entity: str, args: MultiDict, fields: list[FieldInfo]) -> list[Chip]:
    """The chips of the filters in ``args`` on ``entity``'s list page."""
    by_name = {field.name: field for field in fields}
    chips = []
    for param, raw in args.items(multi=True):
        if param in NOT_FILTERS or not raw.strip():
            continue
        name, _sep, operator = param.partition("__")
        if param == "q":
            text = _("Search")
        elif param == "owner":
            chips.append(Chip(_("Only mine"), "", _without(entity, args, param)))
            continue
        else:
            field = by_name.get(name)
            text = (field.label if field else name) + (
                f" {OPERATORS[operator]}" if operator in OPERATORS else "")
        chips.append(Chip(text, _value_text(by_name.get(name), raw.strip()),
                          _without(entity, args, param)))
    return chips


def _without(entity: str, args: MultiDict, param: str) -> str:
    query = query_without(args, param, "cursor")
    return url_for("records.record_list", entity=entity) + (f"?{query}" if query else "")
