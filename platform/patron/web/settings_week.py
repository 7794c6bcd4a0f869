"""A settings collection of weekly periods edited as a week: ``SettingsSection(week=...)``.

Business hours are rows of the API (``{"weekday": 0, "start_minute": 540, "end_minute":
720}``), several a day for a lunch break; a person sets them as a week. The section's page
shows the seven days, each with its periods as pairs of times side by side (a day left empty
is closed), and saving turns the grid back into rows: periods that did not change are kept,
the rest deleted and created through the spec's record operations, so the API's checks,
audit and events apply to each. Everything is refused — and nothing changed — while a cell
is wrong (one time without the other, an end before its start, overlapping periods).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from patron.db import db
from patron.rbac.access import can, require, scoped_select
from patron.records.operations import create_records, delete_record
from patron.records.settings import SettingsSection
from patron.web.fields import WEEKDAY_KEYS
from patron.web.labels import label
from patron.web.record_forms import clock, minutes_of_day
from patron.web.writes import attempt

#: Periods offered per day at least (a morning and an afternoon).
PERIODS = 2

Period = tuple[int, int, int]  # (day, start minute, end minute)


@dataclass(frozen=True)
class Day:
    """One row of the grid: the day's number and name, and how many periods it offers."""

    number: int
    name: str
    slots: int


def _minutes(text: str) -> int | None:
    """Minutes after midnight of ``HH:MM`` (24:00 the end of the day); ``None`` if wrong."""
    try:
        return minutes_of_day(text)
    except ValueError:
        return None


def cell(day: int, slot: int, edge: str) -> str:
    """The input name of one time of the grid (``day.0.1.from``)."""
    return f"day.{day}.{slot}.{edge}"


def _rows(section: SettingsSection) -> list[Any]:
    spec = section.spec
    day, start, _end = section.week
    return list(db.session.execute(scoped_select(spec.model, spec.permission).order_by(
        getattr(spec.model, day), getattr(spec.model, start))).scalars())


def _period(section: SettingsSection, row: Any) -> Period:
    return tuple(getattr(row, name) for name in section.week)


def _form(periods: list[Period]) -> MultiDict:
    form, seen = MultiDict(), Counter()
    for day, start, end in periods:
        slot = seen[day]
        seen[day] += 1
        form[cell(day, slot, "from")], form[cell(day, slot, "to")] = clock(start), clock(end)
    return form


def _days(form: MultiDict) -> list[Day]:
    """The seven days with as many periods as the form holds for each (at least two)."""
    slots = Counter()
    for name in form:
        parts = name.split(".")
        if len(parts) == 4 and parts[0] == "day" and parts[1].isdigit() and parts[2].isdigit():
            slots[int(parts[1])] = max(slots[int(parts[1])], int(parts[2]) + 1)
    return [Day(number, label(key), max(PERIODS, slots[number]))
            for number, key in enumerate(WEEKDAY_KEYS)]


def parse_week(form: MultiDict) -> tuple[list[Period], dict[str, list[str]]]:
    """The periods the grid gives, and what is wrong, by input name."""
    periods: list[Period] = []
    errors: dict[str, list[str]] = {}
    for day in _days(form):
        given = []
        for slot in range(day.slots):
            start_text = form.get(cell(day.number, slot, "from"), "").strip()
            end_text = form.get(cell(day.number, slot, "to"), "").strip()
            if not start_text and not end_text:
                continue
            start, end = _minutes(start_text), _minutes(end_text)
            where = cell(day.number, slot, "to" if start is not None else "from")
            if start is None or end is None:
                errors[where] = [_("Give the time it opens and the time it closes.")]
            elif end <= start:
                errors[where] = [_("A period must end after it starts.")]
            else:
                given.append((start, end, slot))
        given.sort()
        for (_start, end, _slot), (start, _end, slot) in zip(given, given[1:], strict=False):
            if start < end:
                errors[cell(day.number, slot, "from")] = [_("Periods of a day may not overlap.")]
        periods += [(day.number, start, end) for start, end, _slot in given]
    return periods, errors


def save_week(section: SettingsSection, wanted: list[Period]) -> None:
    """Make the section's rows the ``wanted`` periods: unchanged rows stay, the others are
    deleted, the new ones created (one batch), each through the spec's operations."""
    spec = section.spec
    missing = Counter(wanted)
    for row in _rows(section):
        period = _period(section, row)
        if missing[period] > 0:
            missing[period] -= 1
        else:
            delete_record(spec, row)
    day, start, end = section.week
    create_records(spec, [{day: d, start: s, end: e}
                          for (d, s, e), count in sorted(missing.items()) for _ in range(count)])


def week_page(section: SettingsSection):
    """The week grid of ``section`` (the caller checked it may be read); POST saves it."""
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        for action in ("create", "delete"):
            require(section.write_permission(action))
        periods, errors = parse_week(request.form)
        if not errors:
            outcome = attempt(lambda: save_week(section, periods))
            if outcome.ok:
                flash(_("Changes saved."), "success")
                return redirect(url_for("settings.section", section=section.path))
            errors, status = outcome.errors, outcome.status
        form, status = request.form, 422 if status == 200 else status
    else:
        form = _form([_period(section, row) for row in _rows(section)])
    by_day: dict[int, list] = defaultdict(list)
    for name, messages in errors.items():
        if name.startswith("day."):
            by_day[int(name.split(".")[1])] += messages
    general = {name: messages for name, messages in errors.items()
               if not name.startswith("day.")}
    return render_template(
        "settings/week.html", section=section, days=_days(form), form=form, errors=errors,
        general=general, day_errors=by_day, cell=cell,
        can_change=can(section.write_permission("create"))
        and can(section.write_permission("delete")),
    ), status
