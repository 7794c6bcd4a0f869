"""Starting a bulk job: the action checked, the selection snapshotted as the job's items.

The selection is fixed when the user applies the action: the rows they ticked, or every
record matching the list's filters at that moment (a snapshot of ids, not a query run again
later: "all 1,000 matching" does not grow into 1,200 while the job waits). Records are
checked again, one by one, when the job reaches them (:mod:`patron.bulk.runner`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from patron.bulk.actions import BulkAction
from patron.bulk.changes import loaded_change
from patron.bulk.models import BulkItem, BulkJob
from patron.db import db
from patron.db.bulk import insert_rows
from patron.errors import ValidationFailed
from patron.records.listing import matching
from patron.records.spec import ResourceSpec

#: The most records one job goes over (a larger selection is refused: narrow the filters).
MAX_SELECTION = 100_000
#: Items written per statement.
CHUNK = 5000


def matching_ids(spec: ResourceSpec, args: dict) -> list[uuid.UUID]:
    """The ids of the records the list's filters ``args`` match for the signed-in user, at
    most one more than :data:`MAX_SELECTION` (a 422 for bad filters)."""
    statement = matching(spec, args, current_user).with_only_columns(spec.model.id)
    return list(db.session.scalars(
        select(statement.subquery().c.id).limit(MAX_SELECTION + 1)))


def start_bulk_job(spec: ResourceSpec, action: BulkAction, value: Any,
                   record_ids: Iterable[uuid.UUID]) -> BulkJob:
    """Queue ``action`` (with ``value`` for ``set`` and ``add``) over ``record_ids`` as the
    signed-in user's job; a 422 :class:`ValidationFailed` for a bad value or selection. The
    caller commits."""
    job = BulkJob(entity=spec.entity or spec.name, action=action.kind, field=action.field,
                  value=value, owner_id=current_user.id)
    try:
        loaded_change(spec, job)  # checked now, so a bad value queues no job
    except ValidationError as error:
        raise ValidationFailed({"value": [m for messages in error.messages.values()
                                          for m in messages]}) from error
    ids = list(dict.fromkeys(record_ids))
    if not ids:
        raise ValidationFailed({"selection": ["Select at least one record."]})
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed({"selection": [
            f"Select at most {MAX_SELECTION:,} records at a time; narrow the filters."]})
    db.session.add(job)
    job.total = len(ids)
    db.session.flush()
    for start in range(0, len(ids), CHUNK):
        insert_rows(BulkItem, ({"job_id": job.id, "record_id": record_id}
                               for record_id in ids[start:start + CHUNK]))
    return job
