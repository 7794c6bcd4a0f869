"""The change a bulk job makes to each record: the loaded value of the field it sets, or
the record's values of a multi-select field with the job's value added."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from patron.auth.models import User
from patron.bulk.actions import ADD, SET
from patron.bulk.models import BulkJob
from patron.db import db, require_tenant_id
from patron.errors import ValidationFailed
from patron.records.spec import ResourceSpec

CUSTOM = "custom."
OWNER = "owner_id"


def loaded_change(spec: ResourceSpec, job: BulkJob) -> dict:
    """What ``set`` writes to every record, loaded by the spec's schema (marshmallow's
    ``ValidationError`` for a bad value; :class:`ValidationFailed` for an owner who is not an
    active user); custom values are validated with the record they go to. Empty for ``add``
    and ``delete``."""
    if job.action != SET:
        return {}
    if job.field.startswith(CUSTOM):
        return {"custom": {job.field.removeprefix(CUSTOM): job.value}}
    field = spec.schema().fields.get(job.field)
    if field is not None and field.dump_only and (field.attribute or job.field) == OWNER:
        return {OWNER: _active_user(job.value)}
    return spec.schema(partial=True).load({job.field: job.value})


def _active_user(value: Any) -> uuid.UUID:
    """The id of the active user ``value`` names: a record's new owner (the schemas never
    load an owner: ownership changes only through an action such as this one)."""
    try:
        user_id = uuid.UUID(str(value))
    except ValueError:
        user_id = None
    user = db.session.get(User, (require_tenant_id(), user_id)) if user_id else None
    if user is None or not user.is_active:
        raise ValidationFailed({"value": ["No such user."]})
    return user.id


def record_change(job: BulkJob, loaded: dict, record: Any) -> dict | None:
    """The data to update ``record`` with, or ``None`` when it needs no change (it already
    holds the value ``add`` adds)."""
    if job.action != ADD:
        return copy.deepcopy(loaded)  # the write consumes its data
    name = job.field.removeprefix(CUSTOM)
    values = list((record.custom or {}).get(name) or [])
    if job.value in values:
        return None
    return {"custom": {name: [*values, job.value]}}
