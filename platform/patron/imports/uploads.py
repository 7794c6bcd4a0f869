"""Starting an import from an upload: checks that need no worker, then a queued job.

Whatever can be told from the request is answered there, as a 422 that changes nothing: an
unknown resource, a file that is not UTF-8 or has no usable header, a mapping that names
columns or fields that do not exist. The upload is stored under
``PATRON_HOME/imports/<tenant id>/<import id>.csv`` (removed again if the request fails) and
the job waits for the worker.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from patron.db import db, new_id, require_tenant_id
from patron.errors import ValidationFailed
from patron.filestore import FileTooLarge, refuse_too_large, stored_path, write_file
from patron.imports.mapping import resolve_mapping, suggest_mapping
from patron.imports.models import ImportJob
from patron.imports.parsing import MalformedFile, checked_header
from patron.imports.target import IMPORTS, ImportTarget, import_target
from patron.rbac.access import require, require_user

#: The setting that limits the size of a CSV file.
IMPORT_SETTING = "PATRON_IMPORT_MAX_BYTES"


def max_import_bytes() -> int:
    """The largest CSV file accepted (``PATRON_IMPORT_MAX_BYTES``)."""
    return current_app.config[IMPORT_SETTING]


def target_for(resource: str, on_duplicate: str | None = None) -> ImportTarget:
    """The target of an import of ``resource`` the signed-in user may start (403, 422)."""
    require(f"{IMPORTS}.create")
    target = import_target(resource)
    for permission in target.permissions(on_duplicate):
        require(permission)
    return target


def start_import(upload: FileStorage, resource: str, mapping: dict | None, dry_run: bool,
                 on_duplicate: str) -> ImportJob:
    """Store ``upload`` and queue its import; flushes, never commits."""
    target = target_for(resource, on_duplicate)
    job = ImportJob(id=new_id(), resource=resource, dry_run=dry_run, on_duplicate=on_duplicate,
                    filename=(upload.filename or "upload.csv")[:255],
                    owner_id=require_user().id)
    job.file_path = str(Path("imports") / str(require_tenant_id()) / f"{job.id}.csv")
    path = stored_path(job.file_path)
    try:
        job.size = write_file(path, upload.stream, max_import_bytes())
        with path.open("rb") as stored:
            header = checked_header(stored)
    except FileTooLarge:
        refuse_too_large(max_import_bytes(), IMPORT_SETTING)
    except MalformedFile as error:
        raise ValidationFailed({"file": [str(error)]}) from error
    job.mapping = resolve_mapping(header, target.fields, mapping, target.entity.label,
                                  target.locked)
    db.session.add(job)
    db.session.flush()
    return job


def mapping_suggestion(resource: str, columns: list[str]) -> dict:
    """The fields of ``resource`` and the field each of ``columns`` would fill."""
    target = target_for(resource)
    return {"resource": resource, "mapping": suggest_mapping(columns, target.fields),
            "fields": list(target.fields.values())}
