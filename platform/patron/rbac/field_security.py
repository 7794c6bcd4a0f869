"""Field-level security: per role and field, standard and custom, hidden or read-only.

A role's ``field_access`` maps an entity to ``{field: "hidden" | "read_only"}`` (custom fields
as ``custom.<name>``); fields not listed are editable. Hidden fields are absent from every read
(API, lists, exports, search) and cannot be filtered or sorted on; writing a hidden or
read-only field is a 422. Applied to the signed-in user only: the worker and the CLI act as
the system.
"""

from __future__ import annotations

from functools import partial

from flask import has_request_context
from flask_login import current_user, user_logged_in, user_logged_out

from patron.auth.models import User
from patron.context_cache import cached, forget, forget_on_change
from patron.entities import entities
from patron.errors import ValidationFailed
from patron.rbac.access import current_role
from patron.rbac.models import Role
from patron.schemas import RecordSchema

HIDDEN = "hidden"
READ_ONLY = "read_only"
LEVELS = (HIDDEN, READ_ONLY)
#: Hidden fields per entity, worked out once per request: every record of a list page is
#: redacted with them (issue 6); dropped when a role or a user changes, and when someone
#: signs in or out.
HIDDEN_CACHE = "hidden_fields"
forget_on_change(Role, HIDDEN_CACHE)
forget_on_change(User, HIDDEN_CACHE)


def _forget_hidden_fields(*args, **kwargs) -> None:
    forget(HIDDEN_CACHE)


user_logged_in.connect(_forget_hidden_fields)
user_logged_out.connect(_forget_hidden_fields)


def field_rules(entity: str | None) -> dict[str, str]:
    """The signed-in user's rules for ``entity`` (empty outside a signed-in request), a rule
    on one field of a group (``Entity.field_groups``) covering the group."""
    if entity is None or not has_request_context() or not current_user.is_authenticated:
        return {}
    role = current_role()
    rules = dict((role.field_access or {}).get(entity, {})) if role is not None else {}
    return grouped(entity, rules) if rules else rules


def grouped(entity: str, rules: dict[str, str]) -> dict[str, str]:
    """``rules`` with each group of fields carrying the same data under the strictest rule
    any of its fields has (hidden over read-only)."""
    found = entities().get(entity)
    for group in found.field_groups if found is not None else ():
        levels = [rules[name] for name in group if name in rules]
        if levels:
            strictest = min(levels, key=LEVELS.index)
            rules |= dict.fromkeys(group, strictest)
    return rules


def hidden_fields(entity: str | None) -> frozenset[str]:
    """Fields the signed-in user may not see (``custom.<name>`` for custom fields)."""
    if entity is None or not has_request_context():
        return frozenset()
    return cached(HIDDEN_CACHE, entity, lambda: frozenset(
        name for name, level in field_rules(entity).items() if level == HIDDEN))


def redact(entity: str | None, records: list[dict]) -> list[dict]:
    """``records`` (dumped) without the fields hidden from the signed-in user (whose rules
    are read once for them all)."""
    hidden = hidden_fields(entity)
    if not hidden:
        return records
    return [_without(data, hidden) for data in records]


def _without(data: dict, hidden: frozenset[str]) -> dict:
    visible = {k: v for k, v in data.items() if k not in hidden}
    if isinstance(data.get("custom"), dict):
        visible["custom"] = {k: v for k, v in data["custom"].items()
                             if f"custom.{k}" not in hidden}
    return visible


def secured(schema: type[RecordSchema], entity: str | None) -> RecordSchema:
    """An instance of ``schema`` that applies the signed-in user's field rules for ``entity``
    to every record it dumps (a plain instance dumps everything: events, the audit log)."""
    instance = schema()
    if entity is not None:
        instance.redactor = partial(redact, entity)
    return instance


def redact_changes(entity: str | None, changes: dict) -> dict:
    """Audit ``changes`` (``{field: [before, after]}``) without hidden fields' values."""
    hidden = hidden_fields(entity)
    if not hidden:
        return changes
    visible = {k: v for k, v in changes.items() if k not in hidden}
    if "custom" in visible:
        visible["custom"] = [
            {k: v for k, v in (side or {}).items() if f"custom.{k}" not in hidden}
            for side in visible["custom"]
        ]
    return visible


def check_writable(entity: str | None, data: dict, custom: dict | None) -> None:
    """422 when ``data`` or ``custom`` touches a field the user may not change."""
    rules = field_rules(entity)
    if not rules:
        return
    message = ["You may not change this field."]
    errors: dict = {name: message for name in data if name in rules}
    custom_errors = {name: message for name in custom or {} if f"custom.{name}" in rules}
    if custom_errors:
        errors["custom"] = custom_errors
    if errors:
        raise ValidationFailed(errors)
