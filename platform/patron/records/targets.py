"""What a reference field refers to, and the records it may name.

A UUID field refers to people (``owner_id``), a role, a department, a module's lookup
(``stage_id``) or an entity's records (``account_id``), by its name or by what its metadata
declares (``metadata={"reference": "service_contract"}``). Pages, exports and history use these
to offer records by name and to show the title of the record an id names; every lookup is
limited to what the caller may read.
"""

from __future__ import annotations

import uuid

from marshmallow import fields
from sqlalchemy import Select, select

from patron.auth.models import User
from patron.db import db
from patron.entities import entities, lookups
from patron.plugins.manager import CORE_PLUGIN
from patron.plugins.services import is_enabled
from patron.rbac.access import can, scoped_select
from patron.rbac.models import Department, Role
from patron.records.spec import ResourceSpec, spec_for

#: What references may point at besides entity records: few enough to list in a select.
SMALL_TARGETS = ("user", "role", "department")


def entity_spec(name: str) -> ResourceSpec | None:
    """The spec of entity ``name`` if its records have pages for the current tenant.

    ``None`` for unknown entities, entities without a spec, and entities of a module the
    tenant has not enabled (a disabled module is absent: DESIGN.md invariant 3).
    """
    entity = entities().get(name)
    try:
        spec = spec_for(name)
    except KeyError:
        return None
    if entity is None or spec.entity != name:
        return None
    return spec if entity.module is None or is_enabled(entity.module) else None


def reference_target(name: str, field: fields.Field, parent: str | None) -> str | None:
    """What a UUID field refers to: what its ``metadata={"reference": ...}`` declares; else
    ``owner_id`` → ``user``, ``parent_id`` → ``parent`` (a record of the same kind), and
    ``account_id`` → ``account`` or ``stage_id`` → ``stage`` where an entity with pages or a
    registered lookup has that name."""
    declared = field.metadata.get("reference")
    if declared:
        return declared
    target = {"owner_id": "user", "manager_id": "user", "user_id": "user", "role_id": "role",
              "department_id": "department", "parent_id": parent}.get(name)
    named = name.removesuffix("_id")
    if target is None and name.endswith("_id") and (entity_spec(named) or named in lookups()):
        target = named
    return target


def target_source(target: str) -> tuple[type, str, Select] | None:
    """``(model, title attribute, statement)`` of the records a reference may point at (a
    lookup's statement in its order; the caller orders the rest).

    Records of an entity are limited to the caller's data scope; ``None`` when the caller may
    not read them at all.
    """
    if target == "user":
        return User, "name", select(User).where(User.is_active.is_(True))
    if target in ("role", "department"):
        model = Role if target == "role" else Department
        return model, "name", select(model)
    if (found := lookups().get(target)) is not None:
        module, lookup = found
        if (module != CORE_PLUGIN and not is_enabled(module)) or not can(lookup.permission):
            return None
        order = getattr(lookup.model, lookup.order_by or lookup.title)
        return lookup.model, lookup.title, select(lookup.model).order_by(order)
    entity = entities()[target]
    spec = entity_spec(target)
    if spec is None or not can(f"{spec.permission}.read"):
        return None
    return entity.model, entity.title, scoped_select(entity.model, spec.permission)


def titles(target: str, ids: set[uuid.UUID]) -> dict[str, str]:
    """Names of the records ``ids`` of ``target`` the caller may see."""
    source = target_source(target)
    if source is None:
        return {}
    model, title, statement = source
    rows = db.session.execute(statement.where(model.id.in_(ids))).scalars()
    return {str(row.id): getattr(row, title) for row in rows}
