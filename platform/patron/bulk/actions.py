"""What a bulk action may do to an entity's records, declared by its spec.

* ``set`` a field: those in :attr:`ResourceSpec.bulk_fields` (by default the owner and the
  status, where the records have them) and the entity's single-choice custom fields;
* ``add`` a value to a multi-select custom field (tags, interests): the values already
  there stay;
* ``delete`` the records, where the resource may be deleted.

Each needs the resource's ``update`` (or ``delete``) permission; fields the user's role hides
or makes read-only are not offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from patron.customfields.services import definitions_of
from patron.rbac.access import can
from patron.rbac.field_security import field_rules
from patron.records.spec import ResourceSpec

SET = "set"
ADD = "add"
DELETE = "delete"
#: Custom field types a bulk action sets, and those it adds a value to.
SETTABLE_CUSTOM = ("select", "boolean")
ADDABLE_CUSTOM = ("multi_select",)


@dataclass(frozen=True)
class BulkAction:
    """One action offered on a list: ``kind`` ``set``, ``add`` or ``delete``, and the field
    ``set`` or ``add`` changes (``custom.<name>`` for a custom field)."""

    kind: str
    field: str | None
    permission: str

    @property
    def key(self) -> str:
        """How a form or a request names the action: ``set:owner_id``, ``delete``."""
        return f"{self.kind}:{self.field}" if self.field else self.kind


def owner_field(spec: ResourceSpec) -> str | None:
    """The schema's name for the records' owner (``owner_id``; a ticket's ``assignee_id``),
    if they have one."""
    if not hasattr(spec.model, "owner_id"):
        return None
    return next((name for name, field in spec.schema().fields.items()
                 if (field.attribute or name) == "owner_id"), None)


def default_bulk_fields(spec: ResourceSpec) -> tuple[str, ...]:
    """The owner, where the records have one, and the status, where the schema loads one."""
    loaded = {name for name, field in spec.schema().fields.items() if not field.dump_only}
    owner = owner_field(spec)
    return (*((owner,) if owner else ()), *(("status",) if "status" in loaded else ()))


def bulk_actions(spec: ResourceSpec) -> list[BulkAction]:
    """The actions the signed-in user may apply to a selection of ``spec``'s records."""
    actions: list[BulkAction] = []
    update, delete = f"{spec.permission}.update", f"{spec.permission}.delete"
    if spec.writable and can(update):
        rules = field_rules(spec.entity)
        fields = spec.bulk_fields if spec.bulk_fields is not None else default_bulk_fields(spec)
        actions += [BulkAction(SET, name, update) for name in fields]
        if spec.entity:
            for definition in definitions_of(spec.entity):
                name = f"custom.{definition.name}"
                if definition.type in SETTABLE_CUSTOM:
                    actions.append(BulkAction(SET, name, update))
                elif definition.type in ADDABLE_CUSTOM:
                    actions.append(BulkAction(ADD, name, update))
        actions = [action for action in actions if action.field not in rules]
    if spec.writable and spec.deletable and can(delete):
        actions.append(BulkAction(DELETE, None, delete))
    return actions


def find_action(spec: ResourceSpec, key: str) -> BulkAction | None:
    """The action ``key`` names, if the user may apply it to ``spec``'s records."""
    return next((action for action in bulk_actions(spec) if action.key == key), None)
