"""A list page's bulk actions: the selection posted from the list, the job's progress page.

``POST /records/<entity>/bulk`` takes the ticked rows (``ids``) or, with ``selection=all``,
every record the list's query (``query``) matches, and the action the entity offers
(:mod:`patron.bulk.actions`). Exporting the selection answers with the CSV file at once;
deleting asks to confirm first; every other action becomes a background job
(:mod:`patron.bulk.runner`) whose page shows its progress, then each refused record and why.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from patron.bulk.actions import DELETE, SET, BulkAction, find_action
from patron.bulk.models import REFUSED, BulkItem, BulkJob
from patron.bulk.selection import MAX_SELECTION, matching_ids, start_bulk_job
from patron.db import db, tenant_context
from patron.entities import entities
from patron.errors import ValidationFailed
from patron.imports.exports import PAGE_SIZE, Export
from patron.imports.target import find_target
from patron.rbac.access import scoped_select
from patron.rbac.field_security import hidden_fields
from patron.records.spec import ResourceSpec
from patron.web.fields import FieldInfo, choices, page_spec, record_fields
from patron.web.labels import label
from patron.web.list_query import list_args, list_url
from patron.web.messages import translated

#: The action that downloads the selection instead of changing it.
EXPORT = "export"
#: Refused records listed on a job's page (the rest are counted).
SHOWN_REFUSALS = 200
#: Items read at a time for the results file.
RESULT_CHUNK = 1000

bp = Blueprint("bulk", __name__, url_prefix="/records")


def action_fields(spec: ResourceSpec, actions: list[BulkAction]) -> dict[str, FieldInfo]:
    """The field each ``set`` or ``add`` action changes, as pages show it (for its input)."""
    fields = {field.name: field for field in record_fields(spec)}
    return {action.key: fields[action.field] for action in actions
            if action.field and action.field in fields}


def action_label(action: BulkAction, field: FieldInfo | None) -> str:
    """How the list's action menu names ``action``."""
    if action.kind == DELETE:
        return _("Delete")
    name = field.label if field else action.field
    if action.field == "owner_id":
        return _("Assign owner")
    return _("Set %(field)s", field=name) if action.kind == SET else \
        _("Add to %(field)s", field=name)


def job_title(job: BulkJob, field: FieldInfo | None) -> str:
    """What the job does, in words: "Set Status to Closed"."""
    if job.action == DELETE:
        return _("Delete")
    value = str(job.value) if job.value is not None else ""
    shown = dict(choices(field, [value])).get(value, value) if field else value
    if field and field.kind == "boolean":
        shown = _("Yes") if job.value in (True, "true", "y") else _("No")
    name = field.label if field else job.field
    return _("Set %(field)s to %(value)s", field=name, value=shown or "—") \
        if job.action == SET else _("Add %(value)s to %(field)s", field=name, value=shown)


def _selected_ids(spec: ResourceSpec, form: MultiDict) -> list[uuid.UUID]:
    if form.get("selection") == "all":
        query = MultiDict(parse_qsl(form.get("query", "")))
        return matching_ids(spec, list_args(query, record_fields(spec), 1))
    try:
        return [uuid.UUID(value) for value in form.getlist("ids")]
    except ValueError:
        abort(400, description="ids must be record ids")


def _export(spec: ResourceSpec, entity: str, ids: list[uuid.UUID]) -> Response:
    target = find_target(entity)
    if target is None:
        abort(404)
    args = {"id__in": ",".join(map(str, ids)), "limit": PAGE_SIZE}
    return Response(stream_with_context(Export(target, args).chunks()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{spec.name}.csv"'})


def _back(entity: str, form: MultiDict, errors: dict) -> Any:
    for messages in errors.values():
        for message in messages:
            flash(translated(message), "danger")
    return redirect(list_url(entity, parse_qs(form.get("query", ""))))


@bp.route("/<entity>/bulk", methods=["POST"])
@login_required
def apply_bulk(entity: str):
    """Apply the chosen action to the selection (see the module's description)."""
    spec = page_spec(entity, "read")
    form = request.form
    key = form.get("action", "")
    try:
        ids = _selected_ids(spec, form)
    except ValidationFailed as error:  # the list's own query went bad meanwhile
        return _back(entity, form, error.errors)
    if not ids:
        return _back(entity, form, {"selection": [_("Select at least one record.")]})
    if len(ids) > MAX_SELECTION:
        return _back(entity, form, {"selection": [_(
            "Select at most %(max)s records at a time; narrow the filters.",
            max=f"{MAX_SELECTION:,}")]})
    if key == EXPORT:
        return _export(spec, entity, ids)
    action = find_action(spec, key)
    if action is None:
        return _back(entity, form, {"action": [_("Choose an action you may apply.")]})
    if action.kind == DELETE and form.get("confirmed") != "yes":
        return render_template("bulk/confirm.html", entity=entity, plural=label(spec.name),
                               count=len(ids), form=form)
    try:
        job = start_bulk_job(spec, action, form.get(f"value.{key}") or None, ids)
    except ValidationFailed as error:
        return _back(entity, form, error.errors)
    db.session.commit()
    return redirect(url_for("bulk.job_page", entity=entity, job_id=job.id))


def _own_job(entity: str, job_id: uuid.UUID) -> BulkJob:
    job = db.session.get(BulkJob, (current_user.tenant_id, job_id))
    if job is None or job.owner_id != current_user.id or job.entity != entity:
        abort(404)
    return job


def _readable_titles(spec: ResourceSpec, entity: str, ids: list[uuid.UUID]) -> dict:
    """The titles of the records ``ids`` the user may still read (one query); a title the
    user's role hides is shown as "—"."""
    title = entities()[entity].title
    hidden = title in hidden_fields(spec.entity)
    return {row.id: "—" if hidden else getattr(row, title) for row in db.session.scalars(
        scoped_select(spec.model, spec.permission, shared=True)
        .where(spec.model.id.in_(ids)))}


def refusals(spec: ResourceSpec, entity: str, job: BulkJob) -> list[dict]:
    """The job's refused records with why, titled when the user may still read them (a
    record that left their scope shows no title: they may no longer see it)."""
    items = db.session.scalars(
        select(BulkItem).where(BulkItem.job_id == job.id, BulkItem.outcome == REFUSED)
        .order_by(BulkItem.record_id).limit(SHOWN_REFUSALS)).all()
    readable = _readable_titles(spec, entity, [item.record_id for item in items])
    return [{"id": item.record_id, "title": readable.get(item.record_id),
             "field": item.field, "message": item.message} for item in items]


def _result_rows(spec: ResourceSpec, entity: str, job_id: uuid.UUID) -> Iterator[str]:
    """The CSV of every record's result, a chunk of items at a time (keyset on the record),
    each read in the tenant's context again (Flask has reset it by the time a streamed body
    is read)."""
    tenant_id = current_user.tenant_id
    yield "record_id,record,outcome,field,message\r\n"
    after = None
    while True:
        out = io.StringIO()
        with tenant_context(tenant_id):
            statement = select(BulkItem).where(BulkItem.job_id == job_id)
            if after is not None:
                statement = statement.where(BulkItem.record_id > after)
            items = db.session.scalars(statement.order_by(BulkItem.record_id)
                                       .limit(RESULT_CHUNK)).all()
            if not items:
                return
            readable = _readable_titles(spec, entity, [item.record_id for item in items])
        csv.writer(out).writerows(
            [item.record_id, readable.get(item.record_id, ""), item.outcome or "pending",
             item.field or "", item.message or ""] for item in items)
        after = items[-1].record_id
        yield out.getvalue()


@bp.route("/<entity>/bulk/<uuid:job_id>/results.csv")
@login_required
def job_results(entity: str, job_id: uuid.UUID):
    """Every record's result as a CSV file (a record the user can no longer see has no
    title)."""
    spec = page_spec(entity, "read")
    job = _own_job(entity, job_id)
    return Response(stream_with_context(_result_rows(spec, entity, job.id)), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="{spec.name}-bulk-results.csv"'})


@bp.route("/<entity>/bulk/<uuid:job_id>")
@login_required
def job_page(entity: str, job_id: uuid.UUID):
    """A bulk job's progress (the bar refreshes itself while it runs), then its results."""
    spec = page_spec(entity, "read")
    job = _own_job(entity, job_id)
    fields = {field.name: field for field in record_fields(spec)}
    context = {"entity": entity, "job": job, "plural": label(spec.name),
               "action_text": job_title(job, fields.get(job.field)),
               "refused": refusals(spec, entity, job) if job.finished_at else [],
               "labels": {name: field.label for name, field in fields.items()},
               "list_url": list_url(entity, {})}
    if request.headers.get("HX-Request"):
        return render_template("bulk/_progress.html", **context)
    return render_template("bulk/job.html", **context)
