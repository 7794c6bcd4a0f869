"""Running bulk jobs: the worker's ``core.bulk`` job, and one job from start to end.

A job runs as the user who started it (:func:`~patron.auth.acting.signed_in_as`), so each
write meets the same permission checks, field rules, validation, audit and events as a change
made on the record's page. It walks its items in batches, in record order:

1. the batch's records are read within the user's data scope *now*: one that left it since
   it was selected (reassigned to another team, deleted) is refused and reported;
2. the batch is written with one batch operation in a savepoint; if the operation refuses
   it, the batch is written again record by record, each in its own savepoint, so the
   refused records are reported and the others still changed;
3. the results and the progress are committed with the batch: a job a worker lost half-way
   is taken over (its heartbeat stale) and carries on with the records not yet done.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update

from patron.auth.acting import signed_in_as
from patron.bulk.actions import DELETE, find_action
from patron.bulk.changes import loaded_change, record_change
from patron.bulk.models import CHANGED, DONE, FAILED, QUEUED, REFUSED, RUNNING, BulkItem, BulkJob
from patron.db import db, require_tenant_id
from patron.db.mixins import utcnow
from patron.db.sqlite import open_transaction
from patron.events.claims import claim_oldest
from patron.events.jobs import Job
from patron.mail import page_path
from patron.notifications import notify
from patron.rbac.access import scoped_select
from patron.records.operations import delete_record, update_records
from patron.records.refusals import REFUSALS, flatten, refusal_messages
from patron.records.spec import ResourceSpec
from patron.records.targets import entity_spec

log = logging.getLogger(__name__)

#: Records read, written and reported at a time.
BATCH_SIZE = 200
#: How often a worker looks for queued bulk jobs (per tenant).
POLL_SECONDS = 2
#: A running job that has not reported for this long lost its worker: another takes over.
STALE_AFTER = timedelta(minutes=15)
#: Why a record is refused when it is no longer among those the user may change.
OUT_OF_SCOPE = ("The record is no longer in your data scope, or it was deleted, since it "
                "was selected.")
UNEXPECTED = ("The job stopped on an unexpected error; the records it had changed stay "
              "changed. Ask your administrator to look at the server log.")

Result = tuple[str, str | None, str | None]  # outcome, field, message


class BulkFailed(Exception):
    """The job cannot go on at all; the message is shown to the user as its ``detail``."""


def _claimable(now):
    return or_(BulkJob.status == QUEUED,
               and_(BulkJob.status == RUNNING, BulkJob.heartbeat_at < now - STALE_AFTER))


def claim_next() -> uuid.UUID | None:
    """Take the tenant's oldest waiting bulk job (or one whose worker died); commits."""
    return claim_oldest(BulkJob, _claimable, lambda now: {
        "status": RUNNING, "started_at": now, "heartbeat_at": now})


def run_queued_bulk_jobs(batch_size: int = BATCH_SIZE) -> None:
    """The ``core.bulk`` job: run the tenant's queued bulk jobs, oldest first."""
    while (job_id := claim_next()) is not None:
        run_bulk_job(job_id, batch_size)


BULK_JOB = Job("core.bulk", every_seconds=POLL_SECONDS, run=run_queued_bulk_jobs)


def run_bulk_job(job_id: uuid.UUID, batch_size: int = BATCH_SIZE) -> None:
    """Run one claimed job to its end and record how it ended."""
    job = db.session.get(BulkJob, (require_tenant_id(), job_id))
    try:
        with signed_in_as(job.owner_id, f"/records/{job.entity}/bulk/{job_id}") as user:
            if user is None:
                raise BulkFailed("The user who started the job no longer exists or has been "
                                 "deactivated; the records not yet reached were left as "
                                 "they were.")
            _run(job_id, batch_size)
        status, detail = DONE, None
    except BulkFailed as failure:
        status, detail = FAILED, str(failure)
    except Exception:  # recorded for the user, logged with its traceback for the operator
        log.exception("bulk job %s failed", job_id)
        status, detail = FAILED, UNEXPECTED
    db.session.rollback()
    db.session.execute(update(BulkJob).where(BulkJob.id == job_id).values(
        status=status, detail=detail, finished_at=utcnow(), heartbeat_at=utcnow()))
    _tell_finished(job_id)
    db.session.commit()


def _tell_finished(job_id: uuid.UUID) -> None:
    """Tell the user who started the job how it ended (a large one outlasts their visit)."""
    job = db.session.get(BulkJob, (require_tenant_id(), job_id))
    db.session.refresh(job)
    message = _l("Your bulk action has finished: %(changed)d changed, %(refused)d refused.",
                 changed=job.changed_count, refused=job.refused_count) \
        if job.status == DONE else _l("Your bulk action stopped; its page says why.")
    notify([job.owner_id], message, kind="core.bulk_finished",
           link=page_path("bulk.job_page", entity=job.entity, job_id=job.id))


def _run(job_id: uuid.UUID, batch_size: int) -> None:
    job = db.session.get(BulkJob, (require_tenant_id(), job_id))
    spec = entity_spec(job.entity)
    key = f"{job.action}:{job.field}" if job.field else job.action
    if spec is None or find_action(spec, key) is None:
        raise BulkFailed("You may no longer apply this action to these records; nothing "
                         "more was changed.")
    loaded = loaded_change(spec, job)
    while batch := _pending(job.id, batch_size):
        open_transaction(db.session)
        results = _apply(spec, job, loaded, [item.record_id for item in batch])
        _record(job, batch, results)
        db.session.commit()


def _pending(job_id: uuid.UUID, limit: int) -> Sequence[BulkItem]:
    return db.session.scalars(
        select(BulkItem).where(BulkItem.job_id == job_id, BulkItem.outcome.is_(None))
        .order_by(BulkItem.record_id).limit(limit)).all()


def _apply(spec: ResourceSpec, job: BulkJob, loaded: dict,
           ids: list[uuid.UUID]) -> dict[uuid.UUID, Result]:
    """Change the records ``ids`` that are in the user's scope; each one's result."""
    found = {record.id: record for record in db.session.scalars(
        scoped_select(spec.model, spec.permission).where(spec.model.id.in_(ids)))}
    results: dict[uuid.UUID, Result] = {
        record_id: (REFUSED, None, OUT_OF_SCOPE) for record_id in ids if record_id not in found}
    if job.action == DELETE:
        writes = {record.id: lambda record=record: delete_record(spec, record)
                  for record in found.values()}
    else:
        changes = {record.id: (record, record_change(job, loaded, record))
                   for record in found.values()}
        results |= {record_id: (CHANGED, None, None)
                    for record_id, (_, data) in changes.items() if data is None}
        pending = [(record, data) for record, data in changes.values() if data is not None]
        if _attempt(lambda: update_records(spec, pending)) is None:
            return results | {record.id: (CHANGED, None, None) for record, _ in pending}
        # Again one by one, each change made afresh (the refused batch used its data up).
        writes = {record.id: lambda record=record: update_records(
                      spec, [(record, record_change(job, loaded, record))])
                  for record, _ in pending}
    for record_id, write in writes.items():
        results[record_id] = _attempt(write) or (CHANGED, None, None)
    return results


def _attempt(write) -> Result | None:
    """Run ``write`` in a savepoint; ``None`` when it succeeded, else why it was refused."""
    try:
        with db.session.begin_nested():
            write()
    except REFUSALS as error:
        field, message = next(flatten(refusal_messages(error)), (None, str(error)))
        return REFUSED, field, message[:500]
    return None


def _record(job: BulkJob, batch: Sequence[BulkItem], results: dict[uuid.UUID, Any]) -> None:
    refused = 0
    for item in batch:
        item.outcome, item.field, item.message = results[item.record_id]
        refused += item.outcome == REFUSED
    job.processed += len(batch)
    job.refused_count += refused
    job.changed_count += len(batch) - refused
    job.heartbeat_at = utcnow()
