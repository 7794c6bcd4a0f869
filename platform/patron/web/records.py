"""Pages for the records of every entity registered with a spec: list, detail, create, edit,
delete — ``/records/<entity>/…``, generated from the spec, its schema and the tenant's custom
fields, so a new entity (the core's or a plugin's) gets its pages without new code. A record's
page has tabs for its timeline (:mod:`patron.web.timeline`), files
(:mod:`patron.web.attachments`) and history; an account also has its 360° page
(:mod:`patron.web.account360`).

Reads go through :func:`~patron.api.resources.list_records` and
:func:`~patron.rbac.access.get_scoped_or_404`, writes through :mod:`patron.api.operations`:
the same permission checks, data scopes, validation and events as the API.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from patron.audit.models import AuditEvent
from patron.bulk.actions import bulk_actions
from patron.customers.attachments import PERMISSION as ATTACHMENTS
from patron.db import db
from patron.endpoints import takes_files
from patron.entities import entities
from patron.errors import ValidationFailed
from patron.rbac.access import can, get_scoped_or_404, require
from patron.rbac.field_security import redact_changes
from patron.records.listing import list_records
from patron.records.spec import ResourceSpec, spec_for
from patron.web.account360 import overview_context
from patron.web.attachments import Files, record_files, remove_file, upload_file
from patron.web.bulk import action_fields, action_label
from patron.web.changes import ChangeWriter, interface_label
from patron.web.display import reference_names
from patron.web.fields import FieldInfo, page_spec, record_fields
from patron.web.filter_chips import active_filters
from patron.web.form_panels import form_panels
from patron.web.labels import label
from patron.web.links import record_url
from patron.web.list_query import list_args, list_url, query_without
from patron.web.record_actions import record_actions
from patron.web.record_forms import initial_values, new_record_form
from patron.web.saved_views import views_of
from patron.web.timeline import Timeline, log_activity, record_timeline
from patron.web.writes import Outcome, delete_and_tell, submit_create, submit_update

PAGE_SIZE = 50

bp = Blueprint("records", __name__, url_prefix="/records")


def _shown_fields(spec: ResourceSpec) -> list[FieldInfo]:
    """Fields in display order: the record's title first, server-set fields last."""
    title = entities()[spec.entity].title
    fields = record_fields(spec)
    return sorted(fields, key=lambda f: (f.name != title, not f.editable and not f.custom))


def _listable_fields(spec: ResourceSpec) -> list[FieldInfo]:
    """The fields a list may show as columns (not long texts, lines or secrets)."""
    return [f for f in _shown_fields(spec) if f.kind not in ("password", "long_text", "lines")]


def _chosen_columns(title: str, fields: list[FieldInfo]) -> list[FieldInfo]:
    """The columns the list shows: those its ``columns`` parameter names (the record's title
    always, in the fields' order), or every one when it names none."""
    chosen = set(request.args.getlist("columns"))
    if not chosen:
        return fields
    return [f for f in fields if f.name in chosen or f.name == title]


def _page_context(entity: str, spec: ResourceSpec) -> dict[str, Any]:
    return {"entity": entity, "spec": spec, "plural": label(spec.name),
            "singular": label(entity), "title_key": entities()[entity].title}


def _sort_links(entity: str, fields: list[FieldInfo], sortable: set[str]) -> dict[str, str]:
    """Column header links: sort by the column, or reverse the order if it is sorted by it."""
    args = {k: v for k, v in request.args.lists() if k != "cursor"}
    current = request.args.get("sort", "")
    return {
        f.name: list_url(entity, {**args, "sort": f"-{f.name}" if current == f.name else f.name})
        for f in fields if f.name in sortable
    }


@bp.route("/<entity>/")
@login_required
def record_list(entity: str):
    """A page of records with filters, sortable columns, saved views and "Load more"."""
    spec = page_spec(entity, "read")
    listable = _listable_fields(spec)
    fields = _chosen_columns(entities()[entity].title, listable)
    filter_set = spec.filter_set()
    errors: dict = {}
    try:
        page = list_records(spec, list_args(request.args, listable, PAGE_SIZE), current_user)
    except ValidationFailed as error:
        page, errors = {"items": [], "next_cursor": None}, error.errors
    actions = bulk_actions(spec)
    context = {
        **_page_context(entity, spec), "fields": fields, "items": page["items"],
        "names": reference_names(fields, page["items"]),
        "next_url": page["next_cursor"] and list_url(
            entity, {**request.args.to_dict(flat=False), "cursor": page["next_cursor"]}),
    }
    if request.headers.get("HX-Request") and request.args.get("cursor"):
        return render_template("records/_rows.html", **context)
    filterable = {*spec.filterable, *(f.name for f in listable if f.custom)}
    return render_template(
        "records/list.html", **context, errors=errors,
        sort_links=_sort_links(entity, fields, set(filter_set.sortable)),
        current_sort=request.args.get("sort", ""),
        filters=[f for f in listable if f.name in filterable and f.filter_style],
        columns=listable, chosen={f.name for f in fields}, actions=actions,
        action_fields=action_fields(spec, actions), action_label=action_label,
        searchable=bool(spec.searchable),
        owned=hasattr(spec.model, "owner_id"), views=views_of(entity),
        query=query_without(request.args, "cursor"),
        can_create=can(f"{spec.permission}.create"),
        chips=active_filters(entity, request.args, fields),
    ), 422 if errors else 200


@bp.route("/<entity>/count")
@login_required
def record_count(entity: str):
    """How many records the list's filters match, for the list page to fetch after it has
    shown (counting a million rows must not hold the page back)."""
    spec = page_spec(entity, "read")
    args = {**list_args(request.args, _listable_fields(spec), 1), "count": True}
    try:
        total = list_records(spec, args, current_user)["total"]
    except ValidationFailed:
        return ""
    return ngettext("%(num)d record", "%(num)d records", total)


def render_detail(entity: str, spec: ResourceSpec, record: Any, *, tab: str = "details",
                  status: int = 200, timeline: Timeline | None = None,
                  files: Files | None = None):
    """A record's page: its fields, timeline, files and history, each on a tab (``tab`` is
    the one open; an unknown or unavailable one opens the details).

    ``timeline`` and ``files`` replace the tab's usual contents (to show a refused form again).
    """
    fields = _shown_fields(spec)
    return render_template(
        "records/detail.html", **_page_context(entity, spec), record=record, fields=fields,
        names=reference_names(fields, [record]),
        can_update=can(f"{spec.permission}.update"),
        can_delete=spec.deletable and can(f"{spec.permission}.delete"),
        actions=record_actions(entity, record),
        history=record_history(entity, record.id) if can("core.audit.read") else None,
        timeline=timeline or record_timeline(entity, record.id),
        files=files or record_files(entity, record),
        tab=tab,
    ), status


def _detail_url(entity: str, record_id: uuid.UUID, tab: str) -> str:
    return url_for("records.record_detail", entity=entity, record_id=record_id, tab=tab)


def _record_for_page(entity: str, record_id: uuid.UUID,
                     then: str | None = None) -> tuple[ResourceSpec, Any]:
    """The spec and the record of a page about one record the user may read (404 when it is
    not in their scope or shared with them), if they also hold the permission ``then`` (403
    otherwise)."""
    spec = page_spec(entity, "read")
    record = get_scoped_or_404(spec.model, record_id, spec.permission, shared=True)
    if then is not None:
        require(then)
    return spec, record


@bp.route("/<entity>/<uuid:record_id>")
@login_required
def record_detail(entity: str, record_id: uuid.UUID):
    """One record with its custom fields, timeline, files and history, and the actions the
    user may take."""
    spec, record = _record_for_page(entity, record_id)
    return render_detail(entity, spec, record, tab=request.args.get("tab", "details"))


@bp.route("/<entity>/<uuid:record_id>/activities", methods=["POST"])
@login_required
def record_log_activity(entity: str, record_id: uuid.UUID):
    """Log an activity on the record from its timeline tab; errors are shown on the form."""
    spec, record = _record_for_page(entity, record_id,
                                   then=f"{spec_for('activity').permission}.create")
    outcome = log_activity(entity, record.id, request.form)
    if not outcome.ok:
        refused = record_timeline(entity, record.id, request.form, outcome.errors)
        return render_detail(entity, spec, record, tab="timeline", status=outcome.status,
                             timeline=refused)
    flash(_("Activity logged."), "success")
    return redirect(_detail_url(entity, record.id, "timeline"))


@bp.route("/<entity>/<uuid:record_id>/attachments", methods=["POST"])
@takes_files
@login_required
def record_upload(entity: str, record_id: uuid.UUID):
    """Attach a file to the record from its files tab; a refusal says why on the tab."""
    spec, record = _record_for_page(entity, record_id, then=f"{ATTACHMENTS}.create")
    outcome = upload_file(entity, record.id, request.files.get("file"))
    if not outcome.ok:
        messages = [m for found in outcome.errors.values() for m in found]
        return render_detail(entity, spec, record, tab="files", status=outcome.status,
                             files=record_files(entity, record, messages))
    flash(_("“%(name)s” attached.", name=outcome.value.filename), "success")
    return redirect(_detail_url(entity, record.id, "files"))


@bp.route("/<entity>/<uuid:record_id>/attachments/<uuid:attachment_id>/delete",
          methods=["POST"])
@login_required
def record_delete_attachment(entity: str, record_id: uuid.UUID, attachment_id: uuid.UUID):
    """Delete one file of the record."""
    _spec, record = _record_for_page(entity, record_id, then=f"{ATTACHMENTS}.delete")
    name = remove_file(entity, record.id, attachment_id)
    flash(_("“%(name)s” deleted.", name=name), "success")
    return redirect(_detail_url(entity, record.id, "files"))


def record_history(entity: str, record_id: uuid.UUID, limit: int = 50) -> list[dict]:
    """The record's audit trail, newest first, in words (:mod:`patron.web.changes`), without
    fields hidden from the user."""
    rows = db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.record_id == record_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).scalars().all()
    changes = [redact_changes(entity, row.changes or {}) for row in rows]
    writer = ChangeWriter((entity, changed) for changed in changes)
    history = []
    for row, changed in zip(rows, changes, strict=True):
        action, shown = writer.described(entity, row.action, changed)
        history.append({"occurred_at": row.occurred_at, "action": action,
                        "interface": interface_label(row.interface), "changes": shown})
    return history


def _render_form(entity: str, spec: ResourceSpec, fields: list[FieldInfo], form: MultiDict,
                 outcome: Outcome, record: Any = None):
    return render_template(
        "records/form.html", **_page_context(entity, spec), fields=fields, form=form,
        errors=outcome.errors, record=record, panels=form_panels(entity, record),
    ), outcome.status


@bp.route("/<entity>/new", methods=["GET", "POST"])
@login_required
def record_create(entity: str):
    """The form for a new record; errors are shown next to their fields."""
    spec = page_spec(entity, "create")
    fields = [f for f in _shown_fields(spec) if f.editable and f.on_create]
    if request.method == "GET":  # a module's action may fill some in (``?account_id=``)
        names = {f.name for f in fields}
        given = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k in names])
        return _render_form(entity, spec, fields, new_record_form(spec, fields, given),
                            Outcome())
    outcome = submit_create(spec, fields, request.form)
    if not outcome.ok:
        return _render_form(entity, spec, fields, request.form, outcome)
    flash(_("%(type)s created.", type=label(entity)), "success")
    return redirect(record_url(entity, outcome.value.id))


@bp.route("/<entity>/<uuid:record_id>/edit", methods=["GET", "POST"])
@login_required
def record_edit(entity: str, record_id: uuid.UUID):
    """Change a record; a stale ``version`` (someone saved in between) is refused with 409."""
    spec = page_spec(entity, "update")
    record = get_scoped_or_404(spec.model, record_id, spec.permission)
    # Fields the user's role makes read-only are shown, disabled, with their values.
    shown = [f for f in _shown_fields(spec) if f.editable or f.locked]
    if request.method == "GET":
        return _render_form(entity, spec, shown, initial_values(shown, record), Outcome(),
                            record)
    outcome = submit_update(spec, record, [f for f in shown if f.editable], request.form)
    if not outcome.ok:
        form = initial_values([f for f in shown if f.locked], record)
        form.update(request.form)
        return _render_form(entity, spec, shown, form, outcome, record)
    flash(_("Changes saved."), "success")
    return redirect(url_for("records.record_detail", entity=entity, record_id=record_id))


@bp.route("/<entity>/<uuid:record_id>/delete", methods=["POST"])
@login_required
def record_delete(entity: str, record_id: uuid.UUID):
    """Delete a record (after the confirmation on its page)."""
    spec = page_spec(entity, "delete")
    record = get_scoped_or_404(spec.model, record_id, spec.permission)
    if spec.deletable and delete_and_tell(spec, record, _("%(type)s deleted.",
                                                          type=label(entity))):
        return redirect(url_for("records.record_list", entity=entity))
    return redirect(url_for("records.record_detail", entity=entity, record_id=record_id))


@bp.route("/account/<uuid:record_id>/360")
@login_required
def account_360(record_id: uuid.UUID):
    """An account's 360° view: key fields, contacts, timeline, files and module panels."""
    spec, account = _record_for_page("account", record_id)
    return render_template("records/account_360.html", **_page_context("account", spec),
                           record=account, **overview_context(account))
