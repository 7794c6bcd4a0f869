"""Audited changes in words: the record page's History tab and the admin audit log show each
changed field under its label, with its values as the record's pages show them — choices and
yes/no translated, a reference as the title of the record it names, a custom field one line
each — rather than stored names, ids and JSON.

Titles are looked up once per kind of record for all the events on a page (no query per
event); a record the viewer may not read, or one deleted since, stays an id.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from patron.customfields.services import definitions_of
from patron.records.spec import spec_for_event
from patron.records.targets import titles
from patron.web.display import EMPTY, show_value
from patron.web.fields import FieldInfo, custom_fields, entity_spec, schema_fields
from patron.web.labels import known_label, label

#: Longest value shown in a change before it is cut short.
MAX_VALUE = 120
#: Where actions can come from (:func:`patron.events.interface.current_interface`).
INTERFACES = {"web": _l("Web"), "api": _l("API"), "cli": _l("Command line"),
              "worker": _l("Worker"), "system": _l("System")}
#: Actions other than create, update and delete (those are in the shared labels).
ACTIONS = {"user.signed_in": _l("Signed in"), "token.revoked": _l("Token revoked"),
           "user.invitation_accepted": _l("Invitation accepted"),
           "module.enabled": _l("Module enabled"), "module.disabled": _l("Module disabled")}
#: The record actions, whose changes are listed field by field under them.
RECORD_ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class Change:
    """One changed field of an event, as text."""

    field: str
    before: str
    after: str
    #: A yes/no field, whose change an event's name already says ("Module enabled").
    yes_no: bool = False


def action_label(action: str) -> str:
    """The translated name of an audited action."""
    return str(ACTIONS[action]) if action in ACTIONS else label(action)


def interface_label(interface: str) -> str:
    """The translated name of an interface actions come through."""
    return str(INTERFACES.get(interface, interface))


def _short(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def _ids(value: Any) -> Iterable[uuid.UUID]:
    for item in value if isinstance(value, list) else [value]:
        try:
            yield uuid.UUID(str(item))
        except ValueError:
            continue


class ChangeWriter:
    """Writes the changes of a batch of events (``(entity, {field: [before, after]})``)."""

    def __init__(self, events: Iterable[tuple[str, dict]]) -> None:
        events = list(events)
        self.fields: dict[str, dict[str, FieldInfo]] = {
            entity: self._fields_of(entity) for entity in {entity for entity, _ in events}}
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        for entity, changes in events:
            for name, value in changes.items():
                info = self.fields[entity].get(name)
                if info is None or not isinstance(value, list):
                    continue
                # A reference to a record of any kind: the kind changed with it (or not),
                # and only kinds with pages are looked up.
                kinds = changes.get(info.target_from) if info.target_from else None
                for index, side in enumerate(value):
                    target = info.target or (kinds[index] if isinstance(kinds, list)
                                             and len(kinds) == len(value) else None)
                    if target and side and (info.target or entity_spec(target) is not None):
                        wanted[target].update(_ids(side))
        self.names: dict[str, str] = {}
        for target, ids in wanted.items():
            self.names |= titles(target, ids)

    @staticmethod
    def _fields_of(entity: str) -> dict[str, FieldInfo]:
        """The entity's fields by the name its changes use (standard, then ``custom``
        values by their key)."""
        spec = entity_spec(entity) or spec_for_event(entity)
        if spec is None:
            return {}
        infos = schema_fields(spec.schema, parent=entity)
        found = {info.key: info for info in infos} | {info.name: info for info in infos}
        return found | {f"custom.{info.key}": info
                        for info in custom_fields(definitions_of(entity))}

    def rows(self, entity: str, changes: dict) -> list[Change]:
        """``changes`` as rows; custom fields one by one, under their labels."""
        fields = self.fields.get(entity, {})
        rows = []
        for name, value in changes.items():
            pair = isinstance(value, list) and len(value) == 2
            if name == "custom" and pair:
                before, after = value[0] or {}, value[1] or {}
                rows += [self._row(fields.get(f"custom.{key}"), key, before.get(key),
                                   after.get(key))
                         for key in sorted({*before, *after}) if before.get(key) != after.get(key)]
            elif pair:
                rows.append(self._row(fields.get(name), name, value[0], value[1]))
            else:
                rows.append(self._row(fields.get(name), name, None, value))
        return rows

    def described(self, entity: str, action: str, changes: dict) -> tuple[str, list[Change]]:
        """An event's name and its changes as shown: an event other than a record's create,
        update or delete that changed one field says so in one sentence ("Stage changed:
        Proposal → Negotiation"), one that switched a yes/no field by its name alone."""
        name, rows = action_label(action), self.rows(entity, changes)
        if action in RECORD_ACTIONS or len(rows) != 1:
            return name, rows
        if rows[0].yes_no:
            return name, []
        return gettext("%(event)s: %(before)s → %(after)s", event=name,
                       before=rows[0].before, after=rows[0].after), []

    def _row(self, info: FieldInfo | None, name: str, before: Any, after: Any) -> Change:
        yes_no = (info.kind == "boolean") if info is not None else isinstance(after, bool)
        return Change(info.label if info is not None else label(name),
                      self._text(info, before), self._text(info, after), yes_no)

    def _text(self, info: FieldInfo | None, value: Any) -> str:
        if info is not None:
            return _short(show_value(info, value, self.names))
        if value is None or value in ("", [], {}):
            return EMPTY
        if isinstance(value, bool):
            return show_value(FieldInfo("", "", "", "boolean"), value)
        if isinstance(value, dict):
            return _short(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))
        if isinstance(value, list):  # a pipeline's stages: by their names
            return _short(", ".join(
                str(item.get("name", item.get("title", "…"))) if isinstance(item, dict)
                else self._text(None, item) for item in value))
        return _short(known_label(str(value)) or str(value))
