"""What a page needs to know about each field of a record type, from its schema and the
tenant's custom-field definitions.

Every field gets a *kind* from one vocabulary (the custom-field types plus ``reference``,
``money`` and ``password``); the kind decides the input widget, how a form string becomes the
value the schema expects (:mod:`patron.web.record_forms`), how a value is shown
(:mod:`patron.web.display`) and which filter inputs the list offers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from flask import abort
from marshmallow import Schema, fields, validate

from patron.customfields.models import FieldDefinition
from patron.customfields.services import definitions_of
from patron.db import db
from patron.entities import entities, lookups
from patron.rbac.access import require
from patron.rbac.field_security import HIDDEN, READ_ONLY, field_rules
from patron.records.spec import ResourceSpec
from patron.records.targets import SMALL_TARGETS, entity_spec, reference_target, target_source
from patron.web.labels import label

#: Fields every record carries that forms never edit and lists show only as "created".
SERVER_FIELDS = ("id", "version", "updated_at")
#: Inputs offered per kind in the list's filter panel: ``exact``, ``range`` or ``contains``.
FILTER_STYLE = {"multi_reference": None, "select": "exact", "weekday": "exact", "boolean": "exact",
                "reference": "exact", "user": "exact", "number": "range", "decimal": "range",
                "money": "range", "date": "range", "datetime": "range", "time_of_day": None,
                "lines": None, "long_text": None, "grid": None}
#: Texts allowed to be longer than this get a multi-line input.
LONG_TEXT = 255
#: Most options a reference select lists (larger sets need the record's id typed in).
MAX_OPTIONS = 500


@dataclass(frozen=True)
class FieldInfo:
    """One field as pages see it.

    ``name`` is the form and filter name (``custom.<name>`` for custom fields), ``key`` the
    attribute or the key in ``custom``.
    """

    name: str
    key: str
    label: str
    kind: str
    required: bool = False
    nullable: bool = True
    editable: bool = True
    options: tuple[str, ...] = ()
    custom: bool = False
    max_length: int | None = None
    #: For ``reference`` and ``user`` fields: where the choices come from (see :func:`choices`).
    target: str | None = None
    #: The field of the same form whose value narrows the choices (a stage's pipeline).
    narrowed_by: str | None = None
    #: Read-only for this user by a field rule: shown on the edit form, but disabled.
    locked: bool = False
    #: For a ``grid`` (a mapping edited as a table): its rows ``(key, label)`` and the
    #: fields of each row (one nameless column when a row holds a single value).
    grid_rows: tuple[tuple[str, str], ...] = ()
    grid_columns: tuple[FieldInfo, ...] = ()
    #: For a reference to a record of any kind: the field of the same record naming the kind
    #: (``related_entity`` for ``related_id``); its picker follows that field's value.
    target_from: str | None = None
    #: Whether the form of a new record asks it (``metadata={"on_create": False}``: what
    #: only a record under way has, such as a ticket's resolution).
    on_create: bool = True
    #: Shown only while another field of the form has one of some values:
    #: ``(field, (value, …))`` (``metadata={"shown_when": ("status", ("resolved",))}``).
    shown_when: tuple[str, tuple[str, ...]] | None = None

    @property
    def multiple(self) -> bool:
        return self.kind in ("multi_select", "multi_reference")

    @property
    def picked_by_typing(self) -> bool:
        """Whether this refers to an entity's records (rather than to people, roles,
        departments or a module's lookups such as stages): there may be a million, so forms
        offer a search box (:mod:`patron.web.pickers`) instead of a select."""
        return self.kind == "reference" and (self.target_from is not None or (
            self.target not in SMALL_TARGETS and self.target not in lookups()))

    @property
    def filter_style(self) -> str | None:
        """``exact``, ``range`` or ``contains`` input in the list's filters (``None``: none).

        References to an entity's records get none: a select of every account would cost
        more than the list itself.
        """
        if self.picked_by_typing:
            return None
        return FILTER_STYLE.get(self.kind, "contains")


def _validator(field: fields.Field, kind: type) -> validate.Validator | None:
    validators = field.validators if hasattr(field, "validators") else []
    return next((v for v in validators if isinstance(v, kind)), None)




#: What ``metadata={"widget": ...}`` asks for: an integer minute of the day shown as a time
#: ("09:00"), an integer weekday (0 = Monday) shown as a day's name, or a mapping's values
#: given as a ``[from, to]`` pair of times (a weekly hours grid).
WIDGETS = ("minute_of_day", "weekday", "time_range")
#: Weekday keys a mapping may use, with their labels' names (``mon`` → "Monday").
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _label(name: str, field: fields.Field) -> str:
    """What pages call a field: its ``metadata={"label": lazy_gettext(...)}``, else the core's
    label for its name (:func:`patron.web.labels.label`)."""
    declared = field.metadata.get("label")
    return str(declared) if declared is not None else label(name)


def _row_choices(keys: fields.Field, target: str | None) -> tuple[tuple[str, str], ...] | None:
    """The rows of a grid: a mapping's allowed keys, or the records its keys refer to."""
    one_of = _validator(keys, validate.OneOf)
    if one_of is not None:
        return tuple((str(key), label(str(key))) for key in one_of.choices)
    if isinstance(keys, fields.UUID) and target and (source := target_source(target)):
        model, title, statement = source
        rows = db.session.execute(statement.order_by(getattr(model, title))
                                  .limit(MAX_OPTIONS)).scalars()
        return tuple((str(row.id), getattr(row, title)) for row in rows)
    return None


def _grid(name: str, field: fields.Field) -> FieldInfo | None:
    """A mapping with known keys as a table: a row per key (priorities, weekdays, roles),
    columns from its values (a nested schema's fields, a from–to pair, or one number)."""
    if not isinstance(field, fields.Dict) or field.key_field is None:
        return None
    rows = _row_choices(field.key_field, field.metadata.get("reference"))
    values = field.value_field
    if rows is None:
        return None
    if isinstance(values, fields.Nested):
        columns = tuple(schema_fields(values.schema))
    elif field.metadata.get("widget") == "time_range":
        columns = (FieldInfo("from", "from", label("from"), "time", required=True),
                   FieldInfo("to", "to", label("to"), "time", required=True))
    elif isinstance(values, fields.Integer):
        columns = (FieldInfo("", "", label(name), "number"),)
    else:
        return None
    return FieldInfo(name=name, key=field.attribute or name, label=_label(name, field),
                     kind="grid",
                     nullable=field.allow_none, editable=not field.dump_only,
                     grid_rows=rows, grid_columns=columns,
                     options=("pair",) if field.metadata.get("widget") == "time_range" else ())


def _kind(name: str, field: fields.Field, schema: Schema, parent: str | None
          ) -> tuple[str, tuple[str, ...], str | None] | None:
    """``(kind, options, target)`` of a marshmallow field; ``None`` for structured fields
    pages do not edit (nested objects, lists of them, computed ones, ``custom``)."""
    if isinstance(field, fields.Mapping | fields.Nested | fields.Method | fields.Function) or (
            type(field) is fields.Raw):
        return None
    widget = field.metadata.get("widget")
    if widget == "minute_of_day":
        return "time_of_day", (), None
    if widget == "weekday":
        return "weekday", tuple(str(day) for day in range(7)), None
    if widget == "entity":  # a kind of record: those with pages
        return "select", tuple(name for name in entities() if entity_spec(name)), None
    if isinstance(field, fields.List):
        if isinstance(field.inner, fields.Nested | fields.Mapping):
            return None
        if isinstance(field.inner, fields.UUID) and field.metadata.get("reference"):
            return "multi_reference", (), field.metadata["reference"]
        inner = _validator(field.inner, validate.OneOf)
        return ("multi_select", tuple(inner.choices), None) if inner else ("lines", (), None)
    if isinstance(field, fields.UUID) and field.metadata.get("reference_kind"):
        return "reference", (), None
    if isinstance(field, fields.UUID):
        target = reference_target(name, field, parent)
        return ("reference", (), target) if target else ("text", (), None)
    simple = [(fields.Boolean, "boolean"), (fields.Integer, "number"), (fields.Date, "date"),
              (fields.DateTime, "datetime"), (fields.Email, "email"), (fields.Url, "url")]
    for field_class, kind in simple:
        if isinstance(field, field_class):
            return kind, (), None
    if isinstance(field, fields.Decimal | fields.Float):
        # An amount next to a currency field is money in that currency (or the tenant's).
        return ("money" if "currency" in schema.fields else "decimal"), (), None
    one_of = _validator(field, validate.OneOf)
    if one_of is not None:
        return "select", tuple(one_of.choices), None
    if field.load_only and "password" in name:
        return "password", (), None
    length = _validator(field, validate.Length)
    return ("long_text" if length and (length.max or 0) > LONG_TEXT else "text"), (), None


def schema_fields(schema: Schema | type[Schema], parent: str | None = None) -> list[FieldInfo]:
    """The fields of a schema that pages show and edit (``custom`` and nested objects left
    out); ``parent`` is what a ``parent_id`` refers to."""
    instance = schema() if isinstance(schema, type) else schema
    infos = []
    for name, field in instance.fields.items():
        if name not in SERVER_FIELDS and (grid := _grid(name, field)) is not None:
            infos.append(grid)
            continue
        described = None if name in SERVER_FIELDS else _kind(name, field, instance, parent)
        if described is None:
            continue
        kind, options, target = described
        length = _validator(field, validate.Length)
        lookup = lookups().get(target) if target else None
        infos.append(FieldInfo(
            name=name, key=field.attribute or name, label=_label(name, field), kind=kind,
            required=field.required, nullable=field.allow_none, editable=not field.dump_only,
            options=options, max_length=length.max if length else None, target=target,
            narrowed_by=lookup[1].narrowed_by if lookup else None,
            target_from=field.metadata.get("reference_kind"),
            on_create=field.metadata.get("on_create", True),
            shown_when=field.metadata.get("shown_when"),
        ))
    return infos


def custom_fields(definitions: Sequence[FieldDefinition]) -> list[FieldInfo]:
    """The tenant's custom fields of an entity, in display order."""
    return [
        FieldInfo(
            name=f"custom.{d.name}", key=d.name, label=d.label, kind=d.type,
            required=d.required, nullable=not d.required, options=tuple(d.options or ()),
            custom=True, max_length=255 if d.type == "text" else None,
            target="user" if d.type == "user" else None,
        )
        for d in definitions
    ]


def record_fields(spec: ResourceSpec) -> list[FieldInfo]:
    """Every field of ``spec``'s records the signed-in user may see: the schema's, then the
    tenant's custom fields."""
    infos = schema_fields(spec.schema, parent=spec.entity)
    if spec.entity:
        infos += custom_fields(definitions_of(spec.entity))
    # Field-level security: hidden fields are not there at all, read-only ones not editable.
    rules = field_rules(spec.entity)
    return [dataclasses.replace(f, editable=f.editable and rules.get(f.name) != READ_ONLY,
                                locked=f.editable and rules.get(f.name) == READ_ONLY)
            for f in infos if rules.get(f.name) != HIDDEN]



def required_custom_fields(entity: str, prefix: str) -> list[FieldInfo]:
    """The custom fields a new record of ``entity`` must be given, as the signed-in user may
    see them, named ``<prefix>.custom.<name>`` for a form that creates the record beside
    others (a lead's conversion makes an account, a contact and a deal): the form asks for
    them, :func:`~patron.web.record_forms.parse_form` reads them into ``custom``."""
    hidden = {name for name, rule in field_rules(entity).items() if rule == HIDDEN}
    return [dataclasses.replace(field, name=f"{prefix}.{field.name}")
            for field in custom_fields(definitions_of(entity))
            if field.required and field.name not in hidden]


def choices(field: FieldInfo, keep: list[str] | tuple[str, ...] = (),
            narrowing: str | None = None) -> list[tuple[str, str]]:
    """``(value, text)`` options of a select: fixed options, or the records referred to
    (only those matching ``narrowing``, the value of the field that narrows them, if any).

    ``keep`` are the values the record has now: offered even when they are not among the
    choices (a reference out of the user's scope), so saving the form never drops them.
    """
    if field.kind == "weekday":
        options = [(str(day), label(key)) for day, key in enumerate(WEEKDAY_KEYS)]
    elif field.target is None:
        options = [(o, o if field.custom else label(o)) for o in field.options]
    elif (source := target_source(field.target)) is None:
        options = []
    else:
        model, title, statement = source
        # A value that is not an id narrows nothing: the form's check says what is wrong.
        if field.narrowed_by and narrowing:
            with contextlib.suppress(ValueError):
                statement = statement.where(
                    getattr(model, field.narrowed_by) == uuid.UUID(narrowing))
        column = getattr(model, title)
        rows = db.session.execute(statement.order_by(column).limit(MAX_OPTIONS)).scalars()
        options = [(str(row.id), getattr(row, title)) for row in rows]
    offered = {value for value, _ in options}
    return options + [(value, value) for value in keep if value and value not in offered]


def page_spec(name: str, action: str) -> ResourceSpec:
    """The spec behind a page of entity ``name``, for a user allowed ``action`` on it.

    404 when the entity has no pages for this tenant, 403 without the permission.
    """
    spec = entity_spec(name)
    if spec is None:
        abort(404)
    require(f"{spec.permission}.{action}")
    return spec
