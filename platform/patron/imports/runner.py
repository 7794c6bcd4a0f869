"""Running imports: the worker's ``core.imports`` job, and one import from start to end.

An import runs as the user who uploaded it (:func:`acting_as`), in three steps:

1. counting: a quick pass of the CSV reader gives ``total``;
2. validating (:mod:`patron.imports.validation`): every row is checked, nothing is written,
   progress is committed batch by batch;
3. importing (:mod:`patron.imports.writing`): the valid rows are written in one transaction,
   committed only when no row at all was refused and the run is not a dry run. A dry run, or
   a file with bad rows, still goes through this step, rolled back at its end, so that the rules
   only the database can check are reported too.

Why two passes: the data is committed only at the end, yet ``GET /imports/<id>`` must see
progress. PostgreSQL lets progress be written through a second connection while the import's
transaction is open; SQLite has a single writer, so there the validation pass, which holds no
write lock, is where progress shows (:mod:`patron.imports.progress`). Keeping validation out of
the write transaction also keeps that transaction, and on SQLite its database-wide lock, short.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, update

from patron.auth.acting import signed_in_as
from patron.auth.models import User
from patron.db import db, require_tenant_id
from patron.db.mixins import utcnow
from patron.errors import ValidationFailed
from patron.events.claims import claim_oldest
from patron.events.jobs import Job
from patron.filestore import stored_path
from patron.imports.errors import ErrorLog, ImportFailed
from patron.imports.mapping import RowMapper
from patron.imports.matching import Matcher
from patron.imports.models import (
    DONE,
    FAILED,
    IMPORTING,
    QUEUED,
    RUNNING,
    VALIDATING,
    ImportJob,
)
from patron.imports.parsing import CsvFile
from patron.imports.plan import Plan
from patron.imports.progress import Progress
from patron.imports.run import Counts, ImportRun
from patron.imports.target import import_target
from patron.imports.validation import validate_rows
from patron.imports.writing import write_rows
from patron.mail import page_path
from patron.notifications import notify
from patron.rbac.access import can

log = logging.getLogger(__name__)

#: Rows validated, written and reported at a time.
BATCH_SIZE = 1000
#: How often a worker looks for queued imports (per tenant).
POLL_SECONDS = 5
#: A running import that has not reported for this long lost its worker: another takes over.
STALE_AFTER = timedelta(minutes=15)


def upload_path(job: ImportJob) -> Path:
    """Where the file of ``job`` is stored."""
    return stored_path(job.file_path)


def run_queued_imports(batch_size: int = BATCH_SIZE) -> None:
    """The ``core.imports`` job: run the tenant's queued imports, oldest first."""
    while (job_id := claim_next()) is not None:
        run_import(job_id, batch_size)


IMPORTS_JOB = Job("core.imports", every_seconds=POLL_SECONDS, run=run_queued_imports)


def _claimable(now):
    return or_(ImportJob.status == QUEUED,
               and_(ImportJob.status.in_(RUNNING), ImportJob.heartbeat_at < now - STALE_AFTER))


def claim_next() -> uuid.UUID | None:
    """Take the oldest waiting import of the tenant (or one whose worker died); commits."""
    return claim_oldest(ImportJob, _claimable, lambda now: {
        "status": VALIDATING, "started_at": now, "heartbeat_at": now, "processed": 0})


@contextmanager
def acting_as(user_id: uuid.UUID | None, job_id: uuid.UUID) -> Iterator[User]:
    """Run a block as the user who started import ``job_id``, as in the API request the
    import stands for (:func:`~patron.auth.acting.signed_in_as`)."""
    with signed_in_as(user_id, f"/api/v1/imports/{job_id}") as user:
        if user is None:
            raise ImportFailed("The user who started the import no longer exists or has been "
                               "deactivated; nothing was imported.")
        yield user


def run_import(job_id: uuid.UUID, batch_size: int = BATCH_SIZE) -> None:
    """Run one claimed import to its end and record the outcome; the file is removed then.

    If even the outcome cannot be recorded (the database went away), the error propagates and
    the file stays, for a worker to take the import over once its heartbeat is stale.
    """
    job = db.session.get(ImportJob, (require_tenant_id(), job_id))
    path = upload_path(job)
    plan = Plan(path.with_suffix(".plan"))
    progress = Progress(job.id)
    try:
        with acting_as(job.owner_id, job.id):
            _run(job, path, plan, progress, batch_size)
    except ImportFailed as failure:
        progress.report(status=FAILED, detail=str(failure), finished_at=utcnow(),
                        **Counts().columns())
    except Exception:  # recorded for the user, logged with its traceback for the operator
        log.exception("import %s failed", job_id)
        progress.report(status=FAILED, finished_at=utcnow(), **Counts().columns(), detail=(
            "The import stopped on an unexpected error; nothing was imported. "
            "Try again, or ask your administrator to look at the server log."))
    path.unlink(missing_ok=True)
    plan.path.unlink(missing_ok=True)
    tell_finished(job_id)


def tell_finished(job_id: uuid.UUID) -> None:
    """Tell the user who started the import how it ended (the bell, and mail if they asked);
    commits."""
    db.session.rollback()  # read the outcome the run recorded through other sessions
    job = db.session.get(ImportJob, (require_tenant_id(), job_id))
    link = page_path("import_pages.import_detail", import_id=job.id)
    if job.dry_run:
        message = _l("The check of “%(file)s” has finished.", file=job.filename)
    elif job.status == DONE:
        message = _l("Your import of “%(file)s” has finished: %(created)d created, "
                     "%(updated)d updated, %(skipped)d skipped.", file=job.filename,
                     created=job.created_count, updated=job.updated_count,
                     skipped=job.skipped_count)
    else:
        message = _l("Your import of “%(file)s” failed; its page says why.",
                     file=job.filename)
    notify([job.owner_id], message, kind="core.import_finished", link=link)
    db.session.commit()


def _run(job: ImportJob, path: Path, plan: Plan, progress: Progress, batch_size: int) -> None:
    run = _prepare(job, path, progress, batch_size)
    run.report(total=run.source.count())
    with plan:
        validate_rows(run, plan)
    run.processed -= run.planned  # rows the validation settled (skipped, bad) are handled
    run.report(status=IMPORTING)
    write_rows(run, plan)
    if job.dry_run or run.errors.count:
        db.session.rollback()
        if not job.dry_run:
            run.counts = Counts()  # nothing happened
        run.report(status=DONE if job.dry_run else FAILED, finished_at=utcnow(),
                   detail=_conclusion(job, run))
        return
    db.session.execute(update(ImportJob).where(ImportJob.id == job.id).values(
        status=DONE, processed=run.processed, finished_at=utcnow(), heartbeat_at=utcnow(),
        detail=_conclusion(job, run), **run.counts.columns()))
    db.session.commit()


def _prepare(job: ImportJob, path: Path, progress: Progress, batch_size: int) -> ImportRun:
    """Everything the run needs, checked again now: the user may have lost a permission
    since the upload, or a mapped custom field may be gone."""
    try:
        target = import_target(job.resource)
    except ValidationFailed as error:
        raise ImportFailed(f"{job.resource!r} can no longer be imported.") from error
    missing = [p for p in target.permissions(job.on_duplicate) if not can(p)]
    if missing:
        raise ImportFailed(f"You no longer hold {', '.join(missing)}; nothing was imported.")
    gone = sorted(set(job.mapping.values()) - set(target.fields))
    if gone:
        raise ImportFailed(f"These fields no longer exist, or you may no longer change them: "
                           f"{', '.join(gone)}; nothing was imported.")
    if not path.is_file():
        raise ImportFailed("The uploaded file is no longer there; upload it again.")
    source = CsvFile(path)
    mapper = RowMapper(source.header(), job.mapping, target.fields)
    errors = ErrorLog({field: column for column, field in job.mapping.items()})
    return ImportRun(job.id, target, source, mapper, Matcher(target, job.on_duplicate), errors,
                     progress, batch_size)


def _conclusion(job: ImportJob, run: ImportRun) -> str:
    counts = run.counts
    if run.errors.count:
        bad = f"{run.errors.bad_rows} row(s) have errors"
        return (f"Dry run: {bad}; nothing was changed." if job.dry_run
                else f"{bad}; nothing was imported. Correct them and upload the file again.")
    summary = f"{counts.created} created, {counts.updated} updated, {counts.skipped} skipped"
    return f"Dry run: {summary}; nothing was changed." if job.dry_run else f"{summary}."
