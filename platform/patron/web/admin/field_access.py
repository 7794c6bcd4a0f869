"""The field-level security part of the role form: a select per field of every entity
(editable, read-only or hidden), turned into the role's ``field_access`` and back.

The fields offered are exactly those :func:`~patron.rbac.services.securable_fields` accepts,
so whatever the API may set, the page shows; the role service validates what is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from patron.customfields.services import definitions_of
from patron.db.mixins import BOOKKEEPING_FIELDS
from patron.entities import entities, schema_of
from patron.plugins.services import installed_modules
from patron.rbac.field_security import HIDDEN, READ_ONLY
from patron.rbac.services import securable_fields
from patron.web.labels import label

#: Prefix of the form's selects: ``access.<entity>.<field>``.
PREFIX = "access."
#: The choices of each select; the empty value (no rule) means editable.
LEVEL_CHOICES = (("", _l("Editable")), (READ_ONLY, _l("Read-only")), (HIDDEN, _l("Hidden")))
#: The ``custom`` object as a whole: a rule on it covers every custom field at once.
ALL_CUSTOM = "custom"


@dataclass
class EntityAccess:
    """One collapsible panel of the form: an entity's fields with their labels."""

    entity: str
    label: str
    module_label: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)  # (field name, label)


def _field_order(name: str) -> int:
    """The record's own fields, then its custom fields, then the bookkeeping ones (a stable
    sort keeps the schema's order within each group)."""
    if name in BOOKKEEPING_FIELDS:
        return 3
    if name == ALL_CUSTOM:
        return 2
    return 1 if name.startswith("custom.") else 0


def access_grid() -> list[EntityAccess]:
    """Every registered entity with a spec (the core's first, then the plugins'), with the
    fields a role may hide or make read-only: the standard ones, then the custom ones."""
    modules = installed_modules()
    grid = []
    for entity in entities().values():
        if schema_of(entity.name) is None:
            continue
        labels = {f"custom.{d.name}": d.label for d in definitions_of(entity.name)}
        labels[ALL_CUSTOM] = str(_l("All custom fields"))
        module = modules.get(entity.module) if entity.module else None
        grid.append(EntityAccess(
            entity.name, label(entity.name), module.label if module else None,
            [(name, labels.get(name) or label(name))
             for name in sorted(securable_fields(entity.name), key=_field_order)],
        ))
    return sorted(grid, key=lambda e: (e.module_label is not None, e.module_label or "",
                                       e.label))


def submitted_access(form: MultiDict) -> dict[str, dict[str, str]] | None:
    """The ``field_access`` a role form sends (``None`` when it has no field selects).

    Fields left editable are left out, so a rule disappears when set back to editable.
    """
    selects = [(key.removeprefix(PREFIX), value) for key, value in form.items()
               if key.startswith(PREFIX)]
    if not selects:
        return None
    access: dict[str, dict[str, str]] = {}
    for key, level in selects:
        entity, _, name = key.partition(".")
        if level:
            access.setdefault(entity, {})[name] = level
    return access
