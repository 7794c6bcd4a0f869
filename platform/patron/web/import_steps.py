"""What the import pages need between the browser and :mod:`patron.imports`.

The pages keep the chosen file in the browser's file input rather than on the server: the
imports package stores an upload only when it queues its import
(:func:`patron.imports.uploads.start_import`), and the worker removes it once the import has
run. So the mapping step reads the header of the file the browser sends, and "Check" (a dry
run) and "Import" each send the file again with the mapping the user chose.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage, MultiDict

from patron.entities import entities
from patron.errors import ValidationFailed
from patron.filestore import refuse_too_large
from patron.imports.mapping import ImportField
from patron.imports.models import (
    CREATE,
    DONE,
    FAILED,
    IMPORTING,
    QUEUED,
    SKIP,
    UPDATE,
    VALIDATING,
    ImportJob,
)
from patron.imports.parsing import MalformedFile, checked_header
from patron.imports.target import IMPORTS, find_target
from patron.imports.uploads import IMPORT_SETTING, max_import_bytes
from patron.rbac.access import can
from patron.records.refusals import flatten
from patron.web.labels import label
from patron.web.messages import translated

#: File name endings the pages take as CSV ("Save as CSV" in spreadsheets, or plain text).
CSV_SUFFIXES = (".csv", ".txt")

#: Messages of :mod:`patron.imports` users meet, listed for the catalog (see
#: :mod:`patron.web.messages`).
KNOWN = (
    _l("The file is empty: the first line must name the columns."),
    _l("The file has no such column."),
    _l("The uploaded file is no longer there; upload it again."),
    _l("The row conflicts with a record already there."),
    _l("The record this row updates was changed meanwhile; import the file again."),
    _l("The import stopped on an unexpected error; nothing was imported. "
       "Try again, or ask your administrator to look at the server log."),
)

#: The names of an import's statuses.
STATUS_LABELS = {QUEUED: _l("Waiting"), VALIDATING: _l("Checking"), IMPORTING: _l("Writing"),
                 DONE: _l("Done"), FAILED: _l("Failed")}

#: What a row that matches an existing record does, by ``on_duplicate``.
DUPLICATE_TEXTS = {SKIP: _l("Skip the row and keep the existing record"),
                   UPDATE: _l("Update the existing record from the row"),
                   CREATE: _l("Create a new record anyway")}


@dataclass(frozen=True)
class FieldChoice:
    """A field a column can fill, as the mapping select offers it."""

    name: str
    label: str
    required: bool


def can_import(entity: str) -> bool:
    """Whether the signed-in user may import records of ``entity``."""
    target = find_target(entity)
    return (target is not None and target.spec.writable and can(f"{IMPORTS}.create")
            and can(f"{target.spec.permission}.create"))


def importable_entities() -> list[tuple[str, str]]:
    """``(name, label)`` of every entity the signed-in user may import into."""
    return [(name, label(name)) for name in entities() if can_import(name)]


def can_update(entity: str) -> bool:
    """Whether rows may update the records they match (the user may change them)."""
    target = find_target(entity)
    return target is not None and can(f"{target.spec.permission}.update")


def duplicate_choices(entity: str) -> list[tuple[str, str]]:
    """``(on_duplicate, text)`` the user may pick for ``entity``."""
    return [(value, str(text)) for value, text in DUPLICATE_TEXTS.items()
            if value != UPDATE or can_update(entity)]


def match_fields(entity: str) -> list[str]:
    """The labels of the fields by which a row finds the record it duplicates."""
    found = entities().get(entity)
    return [label(name) for name in found.match_on] if found else []


def field_choices(fields: list[ImportField]) -> list[FieldChoice]:
    """The target fields of the mapping select, labelled in the user's language."""
    return [FieldChoice(f.name, f.label if f.custom_name else label(f.name), f.required)
            for f in fields]


def check_upload(upload: FileStorage | None) -> FileStorage:
    """``upload`` if it is a file named like a CSV file; 422 under ``file`` otherwise."""
    if upload is None or not upload.filename:
        raise ValidationFailed({"file": [_("Choose a CSV file.")]})
    if not upload.filename.lower().endswith(CSV_SUFFIXES):
        raise ValidationFailed({"file": [_(
            "“%(name)s” is not a CSV file. Save it as “CSV UTF-8” and upload it again.",
            name=upload.filename)]})
    return upload


def read_columns(upload: FileStorage) -> list[str]:
    """The header of an uploaded CSV file, checked as an import checks it.

    Nothing is kept: 413 past ``PATRON_IMPORT_MAX_BYTES``, 422 under ``file`` when the file
    is not UTF-8 or has no usable header.
    """
    if upload.stream.seek(0, os.SEEK_END) > max_import_bytes():
        refuse_too_large(max_import_bytes(), IMPORT_SETTING)
    upload.stream.seek(0)
    try:
        return checked_header(upload.stream)
    except MalformedFile as error:
        raise ValidationFailed({"file": [str(error)]}) from error


def mapping_from_form(form: MultiDict) -> dict[str, str | None] | None:
    """Column → field from the mapping step's selects (``None`` when the form had none).

    422 when every column is left out, since such an import could fill nothing.
    """
    columns = form.getlist("column")
    if not columns:
        return None
    mapping = {column: field or None for column, field
               in zip(columns, form.getlist("field"), strict=False)}
    if not any(mapping.values()):
        raise ValidationFailed({"mapping": [_("Choose a field for at least one column.")]})
    return mapping


def problems(errors: dict) -> list[str]:
    """The messages of a refused upload, column errors naming their column."""
    messages = []
    for key, message in flatten(errors):
        area, _dot, column = (key or "").partition(".")
        text = translated(message)
        messages.append(_("Column “%(column)s”: %(message)s", column=column, message=text)
                        if area == "mapping" and column else text)
    return messages


def is_finished(job: ImportJob) -> bool:
    """Whether the worker is done with ``job`` (its page stops polling)."""
    return job.status in (DONE, FAILED)


def percent_done(job: ImportJob) -> int:
    """How far the current step of ``job`` has got, for its progress bar."""
    if is_finished(job):
        return 100
    if not job.total:
        return 0
    return min(100, job.processed * 100 // job.total)


def bad_rows(job: ImportJob) -> int:
    """How many rows of the file the kept errors are about."""
    return len({error["line"] for error in job.errors or []})


def status_label(status: str) -> str:
    """The translated name of an import's status."""
    return str(STATUS_LABELS.get(status, status))


def outcome(job: ImportJob) -> tuple[str, str]:
    """``(Bootstrap colour, sentence)`` saying where ``job`` stands or how it ended."""
    if job.status == QUEUED:
        return "secondary", _("Waiting for the worker to start…")
    if job.status == VALIDATING:
        return "info", (_("Checking row %(processed)d of %(total)d…", processed=job.processed,
                          total=job.total) if job.total else _("Counting the rows…"))
    if job.status == IMPORTING:
        return "info", _("Writing the records…")
    if job.errors or job.error_count:
        rows = bad_rows(job)
        if job.dry_run:
            return "danger", ngettext(
                "The check found an error in %(num)d row. Nothing was changed: correct the "
                "file and check it again.",
                "The check found errors in %(num)d rows. Nothing was changed: correct the "
                "file and check it again.", rows)
        return "danger", ngettext(
            "%(num)d row has errors, so nothing was imported. Correct the file and import "
            "it again.",
            "%(num)d rows have errors, so nothing was imported. Correct the file and import "
            "it again.", rows)
    if job.status == FAILED:
        return "danger", _("The import failed: %(reason)s", reason=translated(job.detail or ""))
    if job.dry_run:
        return "success", _("The check found no errors: %(created)d to create, %(updated)d to "
                            "update, %(skipped)d to skip. Nothing was changed yet.",
                            **job.counts)
    return "success", _("Import finished: %(created)d created, %(updated)d updated, "
                        "%(skipped)d skipped.", **job.counts)
