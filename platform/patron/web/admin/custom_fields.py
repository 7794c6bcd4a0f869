"""``/admin/custom-fields``: the tenant's custom fields per entity — create, relabel, reorder,
and delete after a confirmation that says how many records lose a value."""

from __future__ import annotations

import dataclasses
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from patron.customfields.models import TYPES, CustomFieldDefinition
from patron.customfields.services import definition_rows, definitions_of, records_holding
from patron.entities import Entity, entities
from patron.plugins.services import is_enabled
from patron.rbac.access import can, get_scoped_or_404, require
from patron.records.operations import update_record
from patron.records.spec import spec_for
from patron.web.admin.blueprint import bp
from patron.web.fields import FieldInfo
from patron.web.fields import custom_fields as field_infos
from patron.web.record_forms import initial_values, parse_form
from patron.web.writes import (
    Outcome,
    attempt,
    delete_and_tell,
    flash_refusal,
    save_changes,
    save_new,
)

CUSTOM_FIELDS = "custom-fields"


def extensible_entities() -> list[Entity]:
    """Entities of the tenant's enabled modules whose records take custom fields."""
    return [e for e in entities().values()
            if e.has_custom_fields and (e.module is None or is_enabled(e.module))]


def _entity_or_404(name: str) -> Entity:
    found = next((e for e in extensible_entities() if e.name == name), None)
    if found is None:
        abort(404)
    return found


def _definition(field_id: uuid.UUID) -> CustomFieldDefinition:
    definition = get_scoped_or_404(CustomFieldDefinition, field_id, "core.customfields")
    _entity_or_404(definition.entity)
    return definition


def _new_field(form: MultiDict, entity: Entity) -> dict:
    definitions = definitions_of(entity.name)
    return {
        "entity": entity.name, "name": form.get("name", "").strip(),
        "label": form.get("label", "").strip(), "type": form.get("type", ""),
        "required": "required" in form, "unique": "unique" in form,
        "options": [line.strip() for line in form.get("options", "").splitlines()
                    if line.strip()],
        "position": max((d.position for d in definitions), default=-1) + 1,
    }


def _render(entity: Entity, form: MultiDict, outcome: Outcome, failed: uuid.UUID | None = None):
    return render_template(
        "admin/custom_fields.html", entity=entity, entities=extensible_entities(),
        definitions=definitions_of(entity.name), types=TYPES, form=form,
        errors=outcome.errors, failed=failed, can_create=can("core.customfields.create"),
        can_update=can("core.customfields.update"), can_delete=can("core.customfields.delete"),
    ), outcome.status


@bp.route("/custom-fields", methods=["GET", "POST"])
@login_required
def custom_fields():
    """One entity's custom fields (``?entity=``), and the form adding one."""
    require("core.customfields.read")
    choices = extensible_entities()
    if not choices:
        abort(404)
    entity = _entity_or_404(request.values.get("entity", choices[0].name))
    if request.method == "GET":
        return _render(entity, MultiDict(), Outcome())
    require("core.customfields.create")
    outcome = save_new(spec_for(CUSTOM_FIELDS), _new_field(request.form, entity))
    if not outcome.ok:
        return _render(entity, request.form, outcome)
    flash(_("Field “%(label)s” added.", label=outcome.value.label), "success")
    return redirect(url_for("admin.custom_fields", entity=entity.name))


@bp.route("/custom-fields/<uuid:field_id>", methods=["POST"])
@login_required
def custom_field_relabel(field_id: uuid.UUID):
    """Give a field a new label (its values stay as they are)."""
    require("core.customfields.update")
    definition = _definition(field_id)
    outcome = save_changes(spec_for(CUSTOM_FIELDS), definition, request.form,
                           {"label": request.form.get("label", "").strip()})
    if not outcome.ok:
        return _render(_entity_or_404(definition.entity), request.form, outcome, field_id)
    flash(_("Changes saved."), "success")
    return redirect(url_for("admin.custom_fields", entity=definition.entity))


def _edit_fields(definition: CustomFieldDefinition) -> list[FieldInfo]:
    """What the edit form changes: the label, whether it is required, its default (an input
    of the field's own kind) and, for a choice, its options."""
    default = dataclasses.replace(field_infos([definition])[0], name="default", key="default",
                                  label=_("Default for new records"), required=False,
                                  custom=False, nullable=True)
    fields = [FieldInfo("label", "label", _("Label"), "text", required=True, nullable=False,
                        max_length=200),
              FieldInfo("required", "required", _("Required"), "boolean"), default]
    if definition.type in ("select", "multi_select"):
        fields.append(FieldInfo("options", "options", _("Options (one per line)"), "lines"))
    return fields


@bp.route("/custom-fields/<uuid:field_id>/edit", methods=["GET", "POST"])
@login_required
def custom_field_edit(field_id: uuid.UUID):
    """Change a field's label, whether it is required, its default and its options (values
    of a removed option stay on their records, flagged where they are shown)."""
    require("core.customfields.update")
    definition = _definition(field_id)
    fields = _edit_fields(definition)
    if request.method == "GET":
        form, outcome = initial_values(fields, definition), Outcome()
    else:
        form = request.form
        data, errors = parse_form(fields, form, creating=False)
        outcome = save_changes(spec_for(CUSTOM_FIELDS), definition, form, data, errors)
        if outcome.ok:
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.custom_fields", entity=definition.entity))
    return render_template("admin/custom_field_edit.html", definition=definition,
                           fields=fields, form=form, errors=outcome.errors), outcome.status


def _reorder(definition: CustomFieldDefinition, step: int) -> None:
    """Move ``definition`` ``step`` places; every field's position becomes its index."""
    spec = spec_for(CUSTOM_FIELDS)
    ordered = definition_rows(definition.entity)
    index = ordered.index(definition)
    target = min(max(index + step, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        if item.position != position:
            update_record(spec, item, {"position": position})


@bp.route("/custom-fields/<uuid:field_id>/move", methods=["POST"])
@login_required
def custom_field_move(field_id: uuid.UUID):
    """Move a field up or down in the forms and lists."""
    require("core.customfields.update")
    definition = _definition(field_id)
    outcome = attempt(lambda: _reorder(definition, -1 if request.form.get("to") == "up" else 1))
    flash_refusal(outcome)
    return redirect(url_for("admin.custom_fields", entity=definition.entity))


@bp.route("/custom-fields/<uuid:field_id>/delete", methods=["GET", "POST"])
@login_required
def custom_field_delete(field_id: uuid.UUID):
    """Ask first (saying how many records lose a value), then delete the field."""
    require("core.customfields.delete")
    definition = _definition(field_id)
    if request.method == "GET":
        return render_template("admin/custom_field_delete.html", definition=definition,
                               holding=records_holding(definition),
                               entity=_entity_or_404(definition.entity))
    # The spec's delete reads ``?confirm=true``, as the API's does.
    delete_and_tell(spec_for(CUSTOM_FIELDS), definition,
                    _("Field “%(label)s” deleted.", label=definition.label))
    return redirect(url_for("admin.custom_fields", entity=definition.entity))
