"""The CSV import pages: ``/imports/`` lists recent imports; ``/imports/new`` takes a file,
maps its columns (suggested from the header), checks it (a dry run) and imports it; each
import's page follows it with a progress bar until it has finished.

Imports are started by :func:`patron.imports.uploads.start_import` and run by the worker's
``core.imports`` job, like ``POST /api/v1/imports``: the same checks, permissions, data scope
and all-or-nothing outcome.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from patron.endpoints import takes_files
from patron.errors import ValidationFailed
from patron.imports.models import ON_DUPLICATE, SKIP, ImportJob
from patron.imports.schemas import IMPORT_LIST
from patron.imports.target import IMPORTS
from patron.imports.uploads import mapping_suggestion, start_import
from patron.rbac.access import get_scoped_or_404, require
from patron.records.listing import list_records
from patron.web import import_steps as steps
from patron.web.fields import entity_spec, record_fields
from patron.web.labels import label
from patron.web.menu import TOOLS, MenuItem

#: Imports the list page shows (the newest).
RECENT = 50
MENU_LABEL = _l("Imports")

bp = Blueprint("import_pages", __name__, url_prefix="/imports")
bp.add_app_template_global(steps.can_import, "can_import")


@bp.context_processor
def import_helpers() -> dict:
    """What the import templates call."""
    return {"is_finished": steps.is_finished, "percent_done": steps.percent_done,
            "outcome": steps.outcome, "status_label": steps.status_label,
            "records_label": _records_label}


def imports_menu_item() -> MenuItem:
    """The navigation entry of the import pages, for users who may import."""
    return MenuItem(str(MENU_LABEL), "import_pages.import_list", f"{IMPORTS}.create", order=900,
                    group=TOOLS, icon="upload")


def _records_label(entity: str) -> str | None:
    """The list page's name of ``entity``'s records, if it has pages for this tenant."""
    spec = entity_spec(entity)
    return label(spec.name) if spec is not None else None


@bp.route("/")
@login_required
def import_list():
    """The imports the user may see (theirs, or as far as their data scope reaches)."""
    require(f"{IMPORTS}.read")
    page = list_records(IMPORT_LIST, {"sort": "-created_at", "limit": RECENT}, current_user)
    return render_template("imports/list.html", jobs=page["items"],
                           can_start=bool(steps.importable_entities()))


def _max_size() -> str:
    """``PATRON_IMPORT_MAX_BYTES`` in megabytes, as the user's locale writes numbers."""
    return format_decimal(current_app.config["PATRON_IMPORT_MAX_BYTES"] / (1024 * 1024),
                          "#,##0.#")


def _form_page(problems: list[str], status: int = 200):
    """The new-import form, with the ``problems`` of a refused upload."""
    choices = steps.importable_entities()
    if not choices:
        abort(403)
    wanted = request.values.get("entity")
    entity = wanted if wanted in dict(choices) else choices[0][0]
    return render_template("imports/new.html", entities=choices, entity=entity,
                           problems=problems, max_size=_max_size(), columns=None), status


def _refused(problems: list[str], status: int, *, in_columns: bool = False):
    """Why an upload was refused: a fragment for htmx, else the form again.

    A refusal of the mapping step (``in_columns``) also clears the result of an earlier check,
    which was about another file.
    """
    if request.headers.get("HX-Request"):
        return render_template("imports/_problems.html", problems=problems,
                               clear_check=in_columns), status
    return _form_page(problems, status)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """An upload over ``PATRON_IMPORT_MAX_BYTES``: nothing of it is kept."""
    return _refused([_("The file is larger than %(size)s MB, the most an import takes. "
                       "Nothing was imported.", size=_max_size())],
                    413, in_columns=request.endpoint == f"{bp.name}.columns")


@bp.route("/new", methods=["GET", "POST"])
@takes_files
@login_required
def new_import():
    """The form; posted, it starts a dry run ("Check") or the import itself."""
    require(f"{IMPORTS}.create")
    if request.method == "GET":
        return _form_page([])
    dry_run = request.form.get("dry_run") == "true"
    on_duplicate = request.form.get("on_duplicate") or SKIP
    try:
        if on_duplicate not in ON_DUPLICATE:
            raise ValidationFailed({"on_duplicate": [_("Choose what to do with rows that "
                                                       "match an existing record.")]})
        upload = steps.check_upload(request.files.get("file"))
        job = start_import(upload, request.form.get("entity", ""),
                           steps.mapping_from_form(request.form), dry_run, on_duplicate)
    except ValidationFailed as error:
        return _refused(steps.problems(error.errors), 422)
    if dry_run and request.headers.get("HX-Request"):
        return render_template("imports/_progress.html", job=job)
    return redirect(url_for(".import_detail", import_id=job.id))


@bp.route("/new/columns", methods=["POST"])
@takes_files
@login_required
def columns():
    """The mapping step (an htmx fragment): each column of the chosen file with the field
    it fills, as suggested from the header, and what to do with duplicates."""
    entity = request.form.get("entity", "")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("imports/_columns.html", columns=None, clear_check=True)
    try:
        suggestion = mapping_suggestion(entity,
                                        steps.read_columns(steps.check_upload(upload)))
    except ValidationFailed as error:
        return _refused(steps.problems(error.errors), 422, in_columns=True)
    return render_template(
        "imports/_columns.html", columns=suggestion["mapping"], clear_check=True,
        fields=steps.field_choices(suggestion["fields"]),
        duplicates=steps.duplicate_choices(entity), match=steps.match_fields(entity))


def _job_or_404(import_id: uuid.UUID) -> ImportJob:
    require(f"{IMPORTS}.read")
    return get_scoped_or_404(ImportJob, import_id, IMPORTS)


@bp.route("/<uuid:import_id>")
@login_required
def import_detail(import_id: uuid.UUID):
    """One import: its options, its columns and its progress, then its outcome."""
    job = _job_or_404(import_id)
    spec = entity_spec(job.resource)
    fields = {f.name: f.label for f in record_fields(spec)} if spec is not None else {}
    return render_template("imports/detail.html", job=job, field_labels=fields,
                           duplicate_texts=steps.DUPLICATE_TEXTS)


@bp.route("/<uuid:import_id>/progress")
@login_required
def import_progress(import_id: uuid.UUID):
    """The progress fragment the import's page polls until the import has finished."""
    return render_template("imports/_progress.html", job=_job_or_404(import_id))
