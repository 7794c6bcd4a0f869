"""The REST API conventions of ../shared/API.md, in one shared place.

Core and plugins build their APIs from these pieces: :class:`PatronBlueprint` (422 for bad
JSON), problem+json errors, keyset pagination, the filter operators, ``sort`` and optimistic
locking, and :func:`register_crud` which wires them together for one resource.
"""

from patron.api.blueprint import PatronBlueprint
from patron.api.operations import create_record, delete_record, update_record
from patron.api.problems import ValidationFailed
from patron.api.resources import register_crud
from patron.api.schemas import BaseSchema, OwnedRecordSchema, RecordSchema
from patron.api.spec import ResourceSpec, spec_for

__all__ = [
    "BaseSchema",
    "OwnedRecordSchema",
    "PatronBlueprint",
    "RecordSchema",
    "ResourceSpec",
    "ValidationFailed",
    "create_record",
    "delete_record",
    "register_crud",
    "spec_for",
    "update_record",
]
