"""The Settings area's pages, generated from the :class:`~patron.records.settings.SettingsSection`
declarations of the core and every module: ``/settings/<api path>``.

A section with a spec (a collection: pipelines, queues, webhooks) gets a list, an add form,
an edit form per record (listing the records of its child sections: a pipeline's stages, in
their order, draggable) and a delete button; a section with a settings row gets one form. The
rules are made per app from the sections its plugins declare, so every page has a concrete URL
(``/settings/sales/pipelines/<id>``) that mirrors its API path, and the walks of the URL map
(isolation, data scope, field security, page widths) reach each one without knowing it.

Writes go through the spec's operations (:mod:`patron.web.writes`): the permissions,
validation, optimistic locking, audit and events of the API.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from patron.db import db
from patron.errors import ValidationFailed
from patron.plugins.manager import CORE_PLUGIN
from patron.plugins.services import is_enabled
from patron.rbac.access import can, get_scoped_or_404, require, scoped_select
from patron.records.listing import list_records
from patron.records.operations import update_record
from patron.records.settings import SettingsSection, settings_sections
from patron.web.display import reference_names, show
from patron.web.fields import FieldInfo, record_fields, schema_fields
from patron.web.labels import label
from patron.web.list_query import list_args
from patron.web.record_forms import initial_values, new_record_form, parse_form
from patron.web.settings_week import week_page
from patron.web.writes import (
    Outcome,
    attempt,
    change_checked,
    delete_and_tell,
    flash_refusal,
    refused,
    submit_create,
    submit_update,
)

PAGE_SIZE = 100
#: List columns when a section names none.
DEFAULT_COLUMNS = 4
#: Kinds a list column never shows (too long for a cell).
NOT_COLUMNS = ("password", "long_text", "lines")


def section_for(path: str, action: str = "read") -> SettingsSection:
    """The section at ``path`` for a user allowed ``action`` (``read`` or ``update``): 404
    when its module is off for the tenant, 403 without the permission."""
    module, section = settings_sections()[path]
    if module != CORE_PLUGIN and not is_enabled(module):
        abort(404)
    permission = section.read_permission if action == "read" else section.update_permission
    if permission:
        require(permission)
    return section


def section_url(section: SettingsSection) -> str:
    """Where the Settings index links for ``section``."""
    if section.endpoint:
        return url_for(section.endpoint)
    return url_for("settings.section", section=section.path)


def visible_groups() -> list[tuple[str, list[SettingsSection]]]:
    """``(module, sections)`` the signed-in user may open, grouped by the module that
    declared them (the core's first, then by module name), for the Settings index."""
    groups: dict[str, list[SettingsSection]] = {}
    for module, section in settings_sections().values():
        if not section.listed or (module != CORE_PLUGIN and not is_enabled(module)):
            continue
        if section.read_permission is None or can(section.read_permission):
            groups.setdefault(module, []).append(section)
    return sorted(groups.items(), key=lambda item: (item[0] != CORE_PLUGIN, item[0]))


def _fields(section: SettingsSection) -> list[FieldInfo]:
    return record_fields(section.source)


def _columns(section: SettingsSection, fields: list[FieldInfo]) -> list[FieldInfo]:
    """The list's columns: those the section names, else the first few short fields."""
    if section.columns:
        by_name = {f.name: f for f in fields}
        return [by_name[name] for name in section.columns if name in by_name]
    return [f for f in fields if f.kind not in NOT_COLUMNS][:DEFAULT_COLUMNS]


def _parent_of(section: SettingsSection) -> tuple[SettingsSection, str] | None:
    """The section whose records list ``section``'s, with the field naming the parent."""
    for _module, parent in settings_sections().values():
        for child, key in parent.children:
            if child == section.path:
                return parent, key
    return None


def _back_url(section: SettingsSection, record: Any = None) -> str:
    """After a change: the parent record's page for a child (a stage: its pipeline), else the
    section's list."""
    parent = _parent_of(section)
    if parent and record is not None and getattr(record, parent[1], None):
        return url_for("settings.edit", section=parent[0].path,
                       record_id=getattr(record, parent[1]))
    return url_for("settings.section", section=section.path)


def _record_title(section: SettingsSection, record: Any) -> str:
    """What the record's page is headed with: its first column as lists show it (a business
    hours row: "Monday")."""
    fields = _columns(section, _fields(section))
    return show(fields[0], record, reference_names(fields[:1], [record])) if fields else str(
        record.id)


def _children(section: SettingsSection, record: Any) -> list[dict]:
    """The records of ``section``'s child sections that name ``record``, in their order."""
    found = []
    for path, key in section.children:
        child = section_for(path)
        spec = child.spec
        statement = scoped_select(spec.model, spec.permission).where(
            getattr(spec.model, key) == record.id)
        ordered = hasattr(spec.model, "position")
        fields = [f for f in _columns(child, _fields(child)) if f.name != key]
        rows = db.session.execute(statement.order_by(
            spec.model.position if ordered else getattr(spec.model, fields[0].key))
        ).scalars().all()
        found.append({"section": child, "key": key, "rows": rows, "fields": fields,
                      "names": reference_names(fields, rows), "ordered": ordered,
                      "can_create": can(child.write_permission("create")),
                      "can_update": can(child.write_permission("update"))})
    return found


def _render_list(section: SettingsSection):
    spec = section.spec
    fields = _fields(section)
    columns = _columns(section, fields)
    errors: dict = {}
    try:
        args = list_args(request.args, fields, PAGE_SIZE)
        if section.sort:
            args.setdefault("sort", section.sort)
        page = list_records(spec, args, current_user)
    except ValidationFailed as error:
        page, errors = {"items": [], "next_cursor": None}, error.errors
    return render_template(
        "settings/list.html", section=section, fields=columns, items=page["items"],
        names=reference_names(columns, page["items"]), errors=errors,
        next_cursor=page["next_cursor"], can_create=can(section.write_permission("create")),
    ), 422 if errors else 200


def _rows(section: SettingsSection, record: Any, state: dict | None) -> list[dict]:
    """Each kind of row of ``record`` (a price list's prices): the rows, one form each, and
    an add form; ``state`` is the refused form to show again (``rows``, ``row_id``, ``form``,
    ``errors``)."""
    found = []
    for children in section.rows:
        fields = [f for f in schema_fields(children.schema) if f.editable]
        rows = children.rows(record)
        mine = state if state and state["rows"] == children.name else None
        forms = {row.id: (mine["form"], mine["errors"]) if mine and mine["row_id"] == row.id
                 else (initial_values(fields, row), {}) for row in rows}
        adding = (mine["form"], mine["errors"]) if mine and mine["row_id"] is None else (
            MultiDict(), {})
        found.append({"children": children, "fields": fields, "rows": rows, "forms": forms,
                      "adding": adding, "label": label(children.name)})
    return found


def _render_form(section: SettingsSection, fields: list[FieldInfo], form: MultiDict,
                 outcome: Outcome, record: Any = None, row_state: dict | None = None):
    spec = section.source
    return render_template(
        "settings/form.html", section=section, fields=fields, form=form,
        errors=outcome.errors, record=record,
        title=record is not None and section.spec and _record_title(section, record),
        children=_children(section, record) if record is not None and section.spec else [],
        rows=_rows(section, record, row_state) if record is not None and section.spec else [],
        can_update=can(section.update_permission),
        can_delete=bool(section.spec and record is not None and spec.deletable
                        and can(section.write_permission("delete"))),
        parent=_parent_of(section),
    ), outcome.status


def _settings_form(section: SettingsSection):
    """The tenant's settings row of ``section``: shown, and changed on POST."""
    settings = section.settings
    row = settings.current()
    fields = [f for f in _fields(section) if f.editable or f.locked]
    if request.method == "GET":
        return _render_form(section, fields, initial_values(fields, row), Outcome(), row)
    section_for(section.path, "update")
    data, errors = parse_form([f for f in fields if f.editable], request.form, creating=False)
    outcome = change_checked(settings.spec.schema, row, request.form, data, errors,
                             lambda loaded: settings.change(loaded, row.version))
    if not outcome.ok:
        return _render_form(section, fields, request.form, outcome, settings.current())
    flash(_("Changes saved."), "success")
    return redirect(url_for("settings.section", section=section.path))


@login_required
def section_page(section: str):
    """A section's list (a collection), its week (weekly periods) or its form (the tenant's
    settings row)."""
    found = section_for(section)
    if found.settings is not None:
        return _settings_form(found)
    if found.week is not None:
        return week_page(found)
    return _render_list(found)


@login_required
def create(section: str):
    """The form adding a record (fields may come pre-filled: ``?pipeline_id=``)."""
    found = section_for(section)
    spec = found.spec
    require(found.write_permission("create"))
    fields = [f for f in _fields(found) if f.editable]
    if request.method == "GET":
        names = {f.name for f in fields}
        given = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k in names])
        return _render_form(found, fields, new_record_form(spec, fields, given), Outcome())
    outcome = submit_create(spec, fields, request.form)
    if not outcome.ok:
        return _render_form(found, fields, request.form, outcome)
    flash(_("Saved."), "success")
    return redirect(_back_url(found, outcome.value))


@login_required
def edit(section: str, record_id: uuid.UUID):
    """A record's form (and its children); POST saves it (a stale version is a 409)."""
    found = section_for(section)
    spec = found.spec
    record = get_scoped_or_404(spec.model, record_id, spec.permission)
    shown = [f for f in _fields(found) if f.editable or f.locked]
    if request.method == "GET":
        return _render_form(found, shown, initial_values(shown, record), Outcome(), record)
    require(found.write_permission("update"))
    outcome = submit_update(spec, record, [f for f in shown if f.editable], request.form)
    if not outcome.ok:
        form = initial_values([f for f in shown if f.locked], record)
        form.update(request.form)
        return _render_form(found, shown, form, outcome, record)
    flash(_("Changes saved."), "success")
    return redirect(_back_url(found, record))


@login_required
def delete(section: str, record_id: uuid.UUID):
    """Delete a record (a refusal, such as one still in use, is shown on its page)."""
    found = section_for(section)
    spec = found.spec
    require(found.write_permission("delete"))
    record = get_scoped_or_404(spec.model, record_id, spec.permission)
    if spec.deletable and delete_and_tell(spec, record, _("Deleted.")):
        return redirect(_back_url(found, record))
    return redirect(url_for("settings.edit", section=section, record_id=record_id))


@login_required
def reorder(section: str):
    """Put the records posted as ``order`` (ids, first first) in that order: positions 1, 2,
    … through the spec's update, so each move is checked, audited and announced."""
    found = section_for(section)
    spec = found.spec
    require(found.write_permission("update"))
    ids = [_uuid(raw) for raw in request.form.getlist("order")]
    found_rows = {row.id: row for row in db.session.execute(
        scoped_select(spec.model, spec.permission).where(spec.model.id.in_(ids))).scalars()}
    if len(found_rows) != len(set(ids)):
        abort(404)  # an id of no record the user may change (another tenant's, say)
    rows = [found_rows[record_id] for record_id in ids]
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            update_record(spec, row, {"position": position})
    if request.headers.get("HX-Request"):
        return "", 204
    flash(_("Order saved."), "success")
    return redirect(_back_url(found, rows[0] if rows else None))


def _row_kind(section: SettingsSection, rows: str):
    return next(children for children in section.rows if children.name == rows)


def _row_write(section: str, record_id: uuid.UUID, rows: str, row_id: uuid.UUID | None,
               write) -> Any:
    """Run ``write(children, parent, row, data)`` for a row form of a record's page (``row``
    is ``None`` when adding); on a refusal show the page again with the form's errors."""
    found = section_for(section)
    spec = found.spec
    children = _row_kind(found, rows)
    parent = children.parent.get(record_id, "update")
    row = children.get_or_404(parent, row_id) if row_id else None
    fields = [f for f in schema_fields(children.schema) if f.editable]
    data, errors = parse_form(fields, request.form, creating=row_id is None)
    if errors:
        outcome = refused(children.schema, data, errors, partial=row_id is not None)
    else:
        outcome = attempt(lambda: write(children, parent, row, children.schema(
            partial=row_id is not None).load(data)))
    if outcome.ok:
        flash(_("Changes saved."), "success")
        return redirect(url_for("settings.edit", section=section, record_id=record_id))
    record = get_scoped_or_404(spec.model, record_id, spec.permission)
    shown = [f for f in _fields(found) if f.editable or f.locked]
    state = {"rows": rows, "row_id": row_id, "form": request.form, "errors": outcome.errors}
    return _render_form(found, shown, initial_values(shown, record), Outcome(status=outcome.status),
                        record, state)


@login_required
def row_add(section: str, record_id: uuid.UUID, rows: str):
    """Add a row (a price) to a record."""
    return _row_write(section, record_id, rows, None,
                      lambda children, parent, row, data: children.add(parent, data))


@login_required
def row_update(section: str, record_id: uuid.UUID, rows: str, row_id: uuid.UUID):
    """Change a row of a record."""
    return _row_write(section, record_id, rows, row_id,
                      lambda children, parent, row, data: children.change(parent, row, data))


@login_required
def row_delete(section: str, record_id: uuid.UUID, rows: str, row_id: uuid.UUID):
    """Remove a row from a record."""
    children = _row_kind(section_for(section), rows)
    parent = children.parent.get(record_id, "update")
    row = children.get_or_404(parent, row_id)
    outcome = attempt(lambda: children.remove(parent, row))
    if outcome.ok:
        flash(_("Deleted."), "success")
    else:
        flash_refusal(outcome)
    return redirect(url_for("settings.edit", section=section, record_id=record_id))


def _uuid(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        abort(404)


def settings_blueprint() -> Blueprint:
    """The Settings pages of this app's sections (made per app: each app has the sections of
    the plugins it loaded)."""
    bp = Blueprint("settings", __name__, url_prefix="/settings")
    bp.add_app_template_global(section_url, "settings_url")
    for path, (_module, section) in settings_sections().items():
        if section.endpoint:
            continue
        defaults = {"section": path}
        bp.add_url_rule(f"/{path}", "section", section_page, defaults=defaults,
                        methods=["GET", "POST"] if section.settings or section.week
                        else ["GET"])
        if section.spec is None:
            continue
        bp.add_url_rule(f"/{path}/new", "create", create, defaults=defaults,
                        methods=["GET", "POST"])
        bp.add_url_rule(f"/{path}/<uuid:record_id>", "edit", edit, defaults=defaults,
                        methods=["GET", "POST"])
        bp.add_url_rule(f"/{path}/<uuid:record_id>/delete", "delete", delete,
                        defaults=defaults, methods=["POST"])
        for children in section.rows:
            rows = {**defaults, "rows": children.name}
            base = f"/{path}/<uuid:record_id>/{children.name}"
            bp.add_url_rule(base, "row_add", row_add, defaults=rows, methods=["POST"])
            bp.add_url_rule(f"{base}/<uuid:row_id>", "row_update", row_update, defaults=rows,
                            methods=["POST"])
            bp.add_url_rule(f"{base}/<uuid:row_id>/delete", "row_delete", row_delete,
                            defaults=rows, methods=["POST"])
        if hasattr(section.spec.model, "position"):
            bp.add_url_rule(f"/{path}/order", "reorder", reorder, defaults=defaults,
                            methods=["POST"])
    return bp
