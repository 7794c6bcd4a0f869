"""Form strings in, the values the schemas expect out — in this one place.

A browser sends every field as a string (or not at all, for an unticked checkbox); the API's
schemas expect typed JSON (custom ``number`` fields are strict integers, ``datetime`` fields
need an offset). :func:`parse_form` converts a submitted form for a list of
:class:`~patron.web.fields.FieldInfo` into the dict the schema loads, and
:func:`initial_values` does the reverse for an edit form.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from patron.records.spec import ResourceSpec
from patron.web.fields import FieldInfo

#: Marshmallow's own wording, so a form and the API say the same thing.
REQUIRED = _l("This field is required.")
#: The ``datetime-local`` input's format (no seconds, no offset: the tenant's time zone).
LOCAL_DATETIME = "%Y-%m-%dT%H:%M"
#: Kinds whose empty input means "empty text" rather than "no value".
TEXT_KINDS = ("text", "long_text")


def local_zone() -> ZoneInfo:
    """The tenant's time zone (Flask-Babel's may be a pytz zone, which must not be used with
    ``datetime.replace``)."""
    return ZoneInfo(str(get_timezone()))


def day_bound(raw: str, *, end: bool) -> str:
    """A typed-in day as the first (or last) moment of it in the tenant's time zone.

    Text that is not a date is returned as it is, for the schema or filter to refuse.
    """
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return raw
    return datetime.combine(day, time.max if end else time.min, tzinfo=local_zone()).isoformat()


class _Missing:
    """No value: leave the field out, so defaults apply (create) or it stays as it is."""


MISSING = _Missing()


#: Minutes in a day: ``"24:00"``, the end of one.
DAY_MINUTES = 24 * 60


def minutes_of_day(raw: str) -> int:
    """``"09:30"`` → 570 (``"24:00"`` → 1440, the end of the day); :class:`ValueError` for
    anything but a time of day."""
    if raw.strip() == "24:00":
        return DAY_MINUTES
    try:
        moment = time.fromisoformat(raw)
    except ValueError:
        raise ValueError(_l("Enter a time (HH:MM).")) from None
    return moment.hour * 60 + moment.minute


def clock(minutes: int) -> str:
    """570 → ``"09:30"``: minutes after midnight as a time of day."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _localised_number(raw: str) -> Decimal | None:
    """A number as people type it in their language ("48,000", "1,234.50"; in German
    "1.234,50"), or ``None`` if it is not one."""
    try:
        return Decimal(raw)
    except InvalidOperation:
        pass
    try:
        return parse_decimal(raw, locale=str(get_locale()), strict=True)
    except NumberFormatError:
        return None


def _typed(field: FieldInfo, raw: str) -> Any:
    """One non-empty form string as ``field``'s schema expects it; :class:`ValueError` if it
    cannot be."""
    if field.kind == "time_of_day":
        return minutes_of_day(raw)
    if field.kind == "time":
        minutes_of_day(raw)
        return raw
    if field.kind == "weekday":
        return int(raw) if raw.isdigit() else raw
    if field.kind == "number":
        number = _localised_number(raw)
        if number is None or number != number.to_integral_value():
            raise ValueError(_l("Enter a whole number."))
        return int(number)
    if field.kind in ("decimal", "money"):
        number = _localised_number(raw)
        if number is None:
            raise ValueError(_l("Enter a number."))
        return str(number)
    if field.kind == "datetime":
        try:
            local = datetime.strptime(raw, LOCAL_DATETIME)
        except ValueError:
            raise ValueError(_l("Enter a date and time.")) from None
        return local.replace(tzinfo=local_zone()).isoformat()
    return raw


def grid_name(field: FieldInfo, row: str, column: FieldInfo) -> str:
    """The input of a grid's cell: ``targets.high.resolution_minutes``, ``claim_limits.<id>``."""
    return f"{field.name}.{row}" + (f".{column.name}" if column.name else "")


def _grid_value(field: FieldInfo, form: MultiDict, creating: bool) -> Any:
    """A grid's rows as the mapping its schema loads; a row left empty is left out."""
    value: dict[str, Any] = {}
    for row, _ in field.grid_rows:
        cells = {column.name: form.get(grid_name(field, row, column), "").strip()
                 for column in field.grid_columns}
        if not any(cells.values()):
            continue
        typed = {}
        for column in field.grid_columns:
            raw = cells[column.name]
            if not raw and column.required:
                raise ValueError(REQUIRED)
            if raw:
                typed[column.name] = _typed(column, raw)
        if "pair" in field.options:
            value[row] = [typed["from"], typed["to"]]
        else:
            value[row] = typed.get("", typed)
    if not value and creating:
        return MISSING
    return value


def _value(field: FieldInfo, form: MultiDict, creating: bool) -> Any:
    if field.kind == "grid":
        return _grid_value(field, form, creating)
    if field.kind == "boolean":
        return field.name in form
    if field.kind == "lines":
        return [line.strip() for line in form.get(field.name, "").splitlines() if line.strip()]
    if field.multiple:
        values = [v for v in form.getlist(field.name) if v]
        if values:
            return values
        raw = ""
    else:
        raw = form.get(field.name, "").strip()
    if raw:
        return _typed(field, raw)
    if field.required:
        raise ValueError(REQUIRED)
    if creating:
        return MISSING
    if field.nullable:
        return None
    return "" if field.kind in TEXT_KINDS else MISSING


def parse_form(fields: list[FieldInfo], form: MultiDict, *, creating: bool
               ) -> tuple[dict, dict]:
    """``(data, errors)`` for the editable ``fields`` of a submitted form.

    Custom fields go under ``data["custom"]`` and their errors under ``errors["custom"]``,
    the shape the API uses (docs/API.md).
    """
    data: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for field in fields:
        if not field.editable:
            continue
        try:
            value = _value(field, form, creating)
        except ValueError as error:
            target = errors.setdefault("custom", {}) if field.custom else errors
            target[field.key if field.custom else field.name] = [str(error.args[0])]
            continue
        if value is not MISSING:
            (custom if field.custom else data)[field.key if field.custom else field.name] = value
    if any(field.custom for field in fields):
        data["custom"] = custom
    return data, errors


def input_value(field: FieldInfo, value: Any) -> str | list[str]:
    """A stored value as the form input shows it (the tenant's local time for datetimes)."""
    if value is None:
        return ""
    if field.kind == "time_of_day":
        return clock(value)
    if field.kind == "datetime":
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.astimezone(local_zone()).strftime(LOCAL_DATETIME)
    if field.kind == "lines":
        return "\n".join(str(v) for v in value)
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, date | Decimal):
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def field_value(field: FieldInfo, record: Any) -> Any:
    """``field``'s value on ``record`` (from ``custom`` for custom fields)."""
    if field.custom:
        return (record.custom or {}).get(field.key)
    return getattr(record, field.key, None)


def initial_values(fields: list[FieldInfo], record: Any) -> MultiDict:
    """The form a record's edit page starts from."""
    form = MultiDict()
    for field in fields:
        value = field_value(field, record)
        if field.kind == "grid":
            for row, cells in (value or {}).items():
                if "pair" in field.options:
                    cells = dict(zip(("from", "to"), cells, strict=False))
                elif not isinstance(cells, dict):
                    cells = {"": cells}
                for column in field.grid_columns:
                    if cells.get(column.name) is not None:
                        form[grid_name(field, str(row), column)] = str(cells[column.name])
            continue
        if field.kind == "boolean":
            if value:
                form[field.name] = "y"
            continue
        shown = input_value(field, value)
        for item in shown if isinstance(shown, list) else [shown]:
            form.add(field.name, item)
    return form


def new_record_form(spec: ResourceSpec, fields: list[FieldInfo], given: MultiDict) -> MultiDict:
    """The form a new record starts from: what a new record gets unless told otherwise (the
    spec's rules' defaults: a technician's hours are the business hours), then ``given``
    (``?account_id=`` from the page the user came from)."""
    defaults = spec.rules.defaults() if spec.rules is not None else {}
    form = initial_values([f for f in fields if not f.custom and f.key in defaults],
                          SimpleNamespace(**defaults))
    for key in given:
        form.setlist(key, given.getlist(key))
    return form


def errors_for(errors: dict, field: FieldInfo) -> list[str]:
    """The messages about ``field`` in an error dict shaped like the API's."""
    if field.custom:
        found = (errors.get("custom") or {})
        found = found.get(field.key, []) if isinstance(found, dict) else []
    else:
        found = errors.get(field.name, [])
    return _flatten(found)


def other_errors(errors: dict, fields: list[FieldInfo]) -> list[str]:
    """Messages no field of the form shows (``_form``, unknown or nested keys)."""
    shown = {f.name for f in fields if not f.custom}
    custom_shown = {f.key for f in fields if f.custom}
    messages = []
    for key, value in errors.items():
        if key == "custom" and isinstance(value, dict):
            messages += [f"{k}: {m}" for k, v in value.items() if k not in custom_shown
                         for m in _flatten(v)]
        elif key not in shown:
            prefix = "" if key in ("_form", "_schema") else f"{key}: "
            messages += [prefix + m for m in _flatten(value)]
    return messages


def _flatten(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flatten(value)]
    if isinstance(messages, list | tuple):
        return [m for value in messages for m in _flatten(value)]
    return [str(messages)]
