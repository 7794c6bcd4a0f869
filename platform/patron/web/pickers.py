"""Picking a record by typing: the form input of a reference to an entity's records.

A reference to people, roles, departments or a module's lookups (stages, queues) is a select:
there are few. A reference to an entity's records (an account, a contact, a product) may have
to choose among a million, so the form shows its current title in a search box and
``/records/<entity>/choices?q=`` answers the records that match as the user types: the
entity's global-search matches where it is searchable (the index, ranked), else titles that
start with the words; at most :data:`CHOICES` of them, only records the user may read.

A select narrowed by another field of the form (a deal's stage by its pipeline,
:attr:`patron.entities.Lookup.narrowed_by`) gets its options again from
``/lookups/<target>/options?<field>=`` when that field changes.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, request
from flask_login import login_required
from sqlalchemy import func

from patron.db import db
from patron.entities import lookups
from patron.records.targets import entity_spec, titles
from patron.search.query import MAX_QUERY_LENGTH, search
from patron.web.fields import FieldInfo, page_spec, target_source

bp = Blueprint("pickers", __name__)

#: Records a picker offers at a time.
CHOICES = 20


def picked_title(field: FieldInfo, value: str | None, kind: str | None = None) -> str:
    """The title of the record ``value`` names, for the picker's box (the id itself when the
    user may not read it); ``kind`` is the entity of a reference to any kind of record (the
    form's value of its ``target_from`` field)."""
    target = field.target or kind
    if not value or target is None or (kind and entity_spec(kind) is None):
        return ""
    try:
        record_id = uuid.UUID(value)
    except ValueError:
        return value
    return titles(target, {record_id}).get(value, value)


def _matching(entity: str, query: str) -> list[tuple[str, str]]:
    """``(id, title)`` of the records of ``entity`` the user may read that match ``query``."""
    spec = page_spec(entity, "read")
    if query and spec.searchable:
        return [(str(hit["id"]), hit["title"]) for hit in search(query, entity, CHOICES)]
    source = target_source(entity)
    if source is None:
        return []
    model, title, statement = source
    column = getattr(model, title)
    if query:
        statement = statement.where(func.lower(column).startswith(query.lower(), autoescape=True))
    rows = db.session.execute(statement.order_by(column, model.id).limit(CHOICES)).scalars()
    return [(str(row.id), getattr(row, title)) for row in rows]


@bp.route("/records/<entity>/choices")
@login_required
def record_choices(entity: str):
    """The picker's list: the records of ``entity`` matching ``q`` (the first ones by title
    when it is empty)."""
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY_LENGTH]
    return render_template("records/_choices.html", options=_matching(entity, query),
                           query=query)


@bp.route("/records/choices")
@login_required
def kind_choices():
    """The list of a picker that follows another field (``related_id`` follows
    ``related_entity``): ``kind_field`` names that field, whose value is the entity."""
    entity = request.args.get(request.args.get("kind_field", ""), "")
    if entity_spec(entity) is None:
        return render_template("records/_choices.html", options=[], query="")
    return record_choices(entity)


@bp.route("/lookups/<lookup>/options", endpoint="narrowed_options")
@login_required
def narrowed_options(lookup: str):
    """The options of a select of ``lookup``'s records (one with ``narrowed_by``), for the
    value the query string gives the field that narrows them."""
    found = lookups().get(lookup)
    if found is None or found[1].narrowed_by is None:
        abort(404)
    field = FieldInfo(name=lookup, key=lookup, label="", kind="reference", target=lookup,
                      narrowed_by=found[1].narrowed_by)
    return render_template("records/_options.html", field=field, chosen=[], form=request.args)
