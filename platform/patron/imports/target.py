"""The entity an import fills or an export reads, found through the registries.

An entity is importable and exportable when it is registered (``patron_register_entities``),
the API exposes it (its ``ResourceSpec``) and, for a module's entity, the tenant has enabled
that module; a new entity of the core or of a plugin needs nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from patron.customfields.models import FieldDefinition
from patron.customfields.services import definitions_of
from patron.entities import Entity, entities
from patron.errors import ValidationFailed
from patron.imports.mapping import ImportField, importable_fields
from patron.imports.models import UPDATE
from patron.plugins.services import is_enabled
from patron.rbac.field_security import field_rules
from patron.records.spec import ResourceSpec, spec_for

#: The permission resource of imports themselves.
IMPORTS = "core.imports"


@dataclass(frozen=True)
class Target:
    """An entity with the API spec of its records."""

    entity: Entity
    spec: ResourceSpec

    def definitions(self) -> Sequence[FieldDefinition]:
        """The tenant's custom fields of the entity."""
        return definitions_of(self.entity.name) if self.entity.has_custom_fields else ()


@dataclass(frozen=True)
class ImportTarget(Target):
    """A target with what an import needs: its custom fields and the fields columns fill."""

    custom_fields: Sequence[FieldDefinition]
    fields: dict[str, ImportField]
    #: Fields the user's field rules keep them from changing (left out of ``fields``).
    locked: frozenset[str]

    def permissions(self, on_duplicate: str | None) -> list[str]:
        """What the importing user must hold: to import, to create, to update if asked."""
        needed = [f"{IMPORTS}.create", f"{self.spec.permission}.create"]
        if on_duplicate == UPDATE:
            needed.append(f"{self.spec.permission}.update")
        return needed


def find_target(name: str) -> Target | None:
    """The entity ``name`` and its spec, if both exist and the tenant has its module."""
    entity = entities().get(name)
    if entity is None or (entity.module is not None and not is_enabled(entity.module)):
        return None
    try:
        return Target(entity, spec_for(name))
    except KeyError:
        return None


def import_target(name: str) -> ImportTarget:
    """The target an import of ``name`` fills; 422 under ``resource`` if there is none."""
    target = find_target(name)
    if target is None or not target.spec.writable:
        raise ValidationFailed({"resource": [f"There is nothing called {name!r} to import."]})
    definitions = target.definitions()
    locked = frozenset(field_rules(name))
    return ImportTarget(target.entity, target.spec, definitions,
                        importable_fields(target.spec, definitions, locked), locked)
