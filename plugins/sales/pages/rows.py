"""Rows of a record edited on its page: a deal's contacts, team, product lines and
competitors, a quote's lines.

Each kind of row (:class:`RowSection`) is a :class:`~patron.sdk.Children` of the
API, so a page adds, changes and removes rows through the same methods as
``POST|PATCH|DELETE /api/v1/sales/<parent>/<id>/<rows>``: the parent looked up in the user's
data scope, its ``update`` permission, its own checks (a sent quote's lines do not change),
the rows' checks and totals, optimistic locking and the events. Forms are read with the
core's form parsing (:func:`~patron.sdk.parse_form`) and the API's schema; a refusal comes
back as the API's field messages, shown next to the inputs.

The forms post with htmx and get the page's body back (totals and amounts follow the change);
without JavaScript they post normally and land on the page again.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, redirect, request
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from patron.sdk import (
    STALE,
    Children,
    FieldInfo,
    Outcome,
    attempt,
    get_scoped_or_404,
    initial_values,
    parse_form,
    reference_names,
    refused,
    require,
    schema_fields,
)

#: ``render(parent, states, status)``: the page (or, for htmx, its body) with the sections'
#: states — ``{section key: {"form": …, "errors": …, "editing": row id}}``.
Render = Callable[[Any, dict[str, dict], int], Any]


@dataclass(frozen=True)
class RowSection:
    """One kind of row shown on a record's page: what it is (``children``), its heading, the
    fields its form edits and the columns its table shows (both in order)."""

    children: Children
    title: Any
    #: The add form's button ("Add line").
    add_label: Any
    inputs: tuple[str, ...]
    columns: tuple[str, ...]
    labels: Mapping[str, Any] = field(default_factory=dict)
    #: Help under an input (``unit_price``: "blank: the price list's").
    hints: Mapping[str, Any] = field(default_factory=dict)
    #: Columns shown as money in the parent's currency.
    money: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The section's name in URLs, ids and states (``lines``, ``competitors``)."""
        return self.children.name

    def fields(self) -> dict[str, FieldInfo]:
        """The schema's fields by name, with this section's labels."""
        return {info.name: dataclasses.replace(info, label=str(self.labels.get(info.name,
                                                                               info.label)))
                for info in schema_fields(self.children.schema)}


@dataclass
class SectionView:
    """What a section's template needs: its rows, columns, form inputs and any refused
    submission (``form`` and ``errors`` of the add form, or of the row being ``editing``)."""

    section: RowSection
    rows: list
    columns: list[FieldInfo]
    inputs: list[FieldInfo]
    names: dict[str, str]
    base_url: str
    editable: bool
    currency: str
    editing: uuid.UUID | None = None
    form: MultiDict = field(default_factory=MultiDict)
    errors: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def add_form(self) -> MultiDict:
        """What the add form shows: a refused submission of it, else nothing."""
        return self.form if self.editing is None else MultiDict()

    @property
    def add_errors(self) -> dict:
        """The refusal of the add form (or of a removal), if that is what was refused."""
        return self.errors if self.editing is None else {}

    def prefix(self, row_id: uuid.UUID | None = None) -> str:
        """What the ids of a form's inputs start with (the add form's, or a row's)."""
        return f"{self.key}-{row_id or 'new'}-"


def section_view(section: RowSection, parent: Any, base_url: str, *, editable: bool,
                 currency: str, form: MultiDict | None = None, errors: dict | None = None,
                 editing: uuid.UUID | None = None) -> SectionView:
    """The section of ``parent`` as its page shows it; ``editing`` opens one row's form
    (with its current values unless ``form`` is a refused submission)."""
    rows = section.children.rows(parent)
    known = section.fields()
    columns = [known[name] for name in section.columns if name in known]
    inputs = [known[name] for name in section.inputs if name in known]
    if editing is not None and form is None:
        row = next((row for row in rows if row.id == editing), None)
        form = initial_values(inputs, row) if row is not None else None
        if row is None:
            editing = None
    return SectionView(section=section, rows=rows, columns=columns, inputs=inputs,
                       names=reference_names(columns, rows), base_url=base_url,
                       editable=editable, currency=currency, editing=editing,
                       form=form or MultiDict(), errors=errors or {})


def _schema(section: RowSection, *, partial: bool) -> Any:
    """The API's schema of the rows: as ``POST`` loads it, or as ``PATCH`` does (the form's
    ``version`` is checked apart)."""
    return section.children.schema(partial=partial)


def _parse(section: RowSection, form: MultiDict, *, creating: bool) -> tuple[dict, dict]:
    inputs = [info for info in section.fields().values() if info.name in section.inputs]
    return parse_form(inputs, form, creating=creating)


def add_row(section: RowSection, parent: Any, form: MultiDict) -> Outcome:
    """Add a row to ``parent`` from a submitted form."""
    data, errors = _parse(section, form, creating=True)
    if errors:
        return refused(section.children.schema, data, errors, partial=False)
    children = section.children
    return attempt(lambda: children.add(_editable(children, parent),
                                        _schema(section, partial=False).load(data)))


def change_row(section: RowSection, parent: Any, row: Any, form: MultiDict) -> Outcome:
    """Change a row of ``parent`` from its submitted form (its ``version`` must be current)."""
    if form.get("version", type=int) != row.version:
        return Outcome(errors={"_form": [str(STALE)]}, status=409)
    data, errors = _parse(section, form, creating=False)
    if errors:
        return refused(section.children.schema, data, errors, partial=True)
    children = section.children
    return attempt(lambda: children.change(_editable(children, parent), row,
                                           _schema(section, partial=True).load(data)))


def remove_row(section: RowSection, parent: Any, row: Any) -> Outcome:
    """Remove a row of ``parent``."""
    children = section.children
    return attempt(lambda: children.remove(_editable(children, parent), row))


def _editable(children: Children, parent: Any) -> Any:
    """``parent``, once its own rule allows its rows to change (409 otherwise)."""
    children.parent.check_editable(parent)
    return parent


def register_row_pages(bp: Blueprint, section: RowSection, prefix: str, segment: str,
                       render: Render, page_url: Callable[[Any], str]) -> None:
    """Add the section's routes to ``bp`` under ``/<segment>/<id>/<rows>``: ``POST`` adds,
    ``GET …/<row>/edit`` opens a row's form, ``POST …/<row>`` saves it and
    ``POST …/<row>/delete`` removes it. Each answers ``render`` (htmx: the page's body) or,
    without htmx and on success, a redirect to ``page_url(parent)``."""
    children = section.children
    parent_of = children.parent
    base = f"/{segment}/<uuid:record_id>/{section.key}"
    endpoint = f"{prefix}_{section.key}"

    def load(record_id: uuid.UUID, action: str) -> Any:
        require(f"{parent_of.permission}.{action}")
        return get_scoped_or_404(parent_of.model, record_id, parent_of.permission,
                                 shared=action == "read")

    def answer(parent: Any, outcome: Outcome, state: dict) -> Any:
        if outcome.ok and not request.headers.get("HX-Request"):
            return redirect(f"{page_url(parent)}#{section.key}")
        return render(parent, {} if outcome.ok else {section.key: state}, outcome.status)

    @bp.route(base, endpoint=f"{endpoint}_add", methods=["POST"])
    @login_required
    def add_view(record_id: uuid.UUID):
        """Add a row from the section's form."""
        parent = load(record_id, "update")
        outcome = add_row(section, parent, request.form)
        return answer(parent, outcome, {"form": request.form, "errors": outcome.errors})

    @bp.route(f"{base}/<uuid:row_id>/edit", endpoint=f"{endpoint}_edit", methods=["GET"])
    @login_required
    def edit_view(record_id: uuid.UUID, row_id: uuid.UUID):
        """The page with one row's form open."""
        parent = load(record_id, "update")
        children.get_or_404(parent, row_id)
        return render(parent, {section.key: {"editing": row_id}}, 200)

    @bp.route(f"{base}/<uuid:row_id>", endpoint=f"{endpoint}_update", methods=["POST"])
    @login_required
    def update_view(record_id: uuid.UUID, row_id: uuid.UUID):
        """Save a row's form."""
        parent = load(record_id, "update")
        row = children.get_or_404(parent, row_id)
        outcome = change_row(section, parent, row, request.form)
        return answer(parent, outcome, {"form": request.form, "errors": outcome.errors,
                                        "editing": row_id})

    @bp.route(f"{base}/<uuid:row_id>/delete", endpoint=f"{endpoint}_delete",
              methods=["POST"])
    @login_required
    def delete_view(record_id: uuid.UUID, row_id: uuid.UUID):
        """Remove a row."""
        parent = load(record_id, "update")
        outcome = remove_row(section, parent, children.get_or_404(parent, row_id))
        return answer(parent, outcome, {"errors": outcome.errors})

