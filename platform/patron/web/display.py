"""Showing field values on pages: the tenant's time zone, its currency, translated choices,
and names instead of ids for references."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import format_currency, format_date, format_datetime, format_decimal, gettext

from patron.records.targets import entity_spec, titles
from patron.tenancy.services import tenant_currency
from patron.web.fields import WEEKDAY_KEYS, FieldInfo
from patron.web.labels import known_label, label
from patron.web.record_forms import field_value, input_value

EMPTY = "—"


def _moment(value: Any) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def show(field: FieldInfo, record: Any, names: dict[str, str] | None = None) -> str:
    """``field`` of ``record`` as text for a page (money in the record's currency, else the
    tenant's; references by name)."""
    return show_value(field, field_value(field, record), names,
                      getattr(record, "currency", None))


def show_value(field: FieldInfo, value: Any, names: dict[str, str] | None = None,
               currency: str | None = None) -> str:
    """A value of ``field`` as text for a page: see :func:`show` (money in ``currency``, else
    the tenant's)."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    kind = field.kind
    if kind in ("time_of_day", "grid"):
        return _summary(field, value) if kind == "grid" else input_value(field, value)
    if kind == "weekday":
        return label(WEEKDAY_KEYS[int(value)])
    if kind == "boolean":
        return gettext("Yes") if value else gettext("No")
    if kind == "datetime":
        return format_datetime(_moment(value), "medium")
    if kind == "date":
        return format_date(date.fromisoformat(value) if isinstance(value, str) else value)
    if kind == "money":
        return format_currency(Decimal(str(value)), currency or tenant_currency())
    if kind in ("decimal", "number"):
        return format_decimal(Decimal(str(value)))
    if kind in ("reference", "user"):
        return (names or {}).get(str(value), str(value))
    if kind == "multi_reference":
        return ", ".join((names or {}).get(str(v), str(v)) for v in value)
    if kind in ("select", "multi_select") and not field.custom:
        values = value if isinstance(value, list) else [value]
        return ", ".join(label(v) for v in values)
    if kind in ("select", "multi_select") and field.options:  # a custom field's choice
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(v) if v in field.options else gettext(
            "%(value)s (no longer offered)", value=v) for v in values)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if kind == "text" and not field.editable and (known := known_label(str(value))):
        return known  # a status the server sets ("open"), said in words
    return str(value)


def _summary(field: FieldInfo, value: dict) -> str:
    """A grid's rows on one line: "Monday 08:00–17:00, Tuesday 08:00–17:00"."""
    names = dict(field.grid_rows)
    parts = []
    for row, cells in value.items():
        if "pair" in field.options:
            shown = "–".join(cells)
        elif isinstance(cells, dict):
            shown = " / ".join(str(v) for v in cells.values())
        else:
            shown = str(cells)
        parts.append(f"{names.get(str(row), row)} {shown}")
    return ", ".join(parts)


def reference_names(fields: Iterable[FieldInfo], records: Iterable[Any]) -> dict[str, str]:
    """``{id: name}`` for every reference the ``records`` make through ``fields``."""
    wanted: dict[str, set[uuid.UUID]] = {}
    records = list(records)
    # A reference to any kind of record names its kind beside it: only kinds with pages.
    kinds = {kind for field in fields if field.target_from
             for kind in {getattr(record, field.target_from, None) for record in records}
             if kind and entity_spec(kind) is not None}
    for field in fields:
        if field.target is None and field.target_from is None:
            continue
        for record in records:
            value = field_value(field, record)
            target = field.target or getattr(record, field.target_from, None)
            if target is None or (field.target_from and target not in kinds):
                continue
            for item in value if isinstance(value, list) else [value] if value else []:
                try:
                    wanted.setdefault(target, set()).add(uuid.UUID(str(item)))
                except ValueError:
                    continue
    names: dict[str, str] = {}
    for target, ids in wanted.items():
        names |= titles(target, ids)
    return names


def money(amount: Any, currency: str | None = None) -> str:
    """An amount (a number or its text, as the API gives it) in ``currency`` (else the
    tenant's), in the reader's language: for templates (``money(order.total, ...)``)."""
    return format_currency(Decimal(str(amount)), currency or tenant_currency())
