"""Business time: adding and counting working minutes in a tenant's hours, time zone and
holidays, as SLA targets are measured.

Working periods are wall-clock times of the tenant's time zone (``09:00``–``17:00`` stays
9 to 5 across a daylight-saving change); durations are real elapsed time, so a period that
spans a clock change is an hour shorter or longer that day. A wall-clock time that does not
exist (inside a spring-forward gap) is read with the offset before the change, as
:mod:`zoneinfo` does with ``fold=0``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: How far ahead a target is looked for before the calendar counts as never open.
HORIZON_DAYS = 3 * 366


class NeverOpen(ValueError):
    """The calendar has no working time within :data:`HORIZON_DAYS` of the start."""


@dataclass(frozen=True)
class BusinessCalendar:
    """Working periods per weekday (0 = Monday) in minutes after local midnight, a time zone
    and closed days. A calendar without any period is always open (24/7)."""

    timezone: ZoneInfo
    periods: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()

    @property
    def always_open(self) -> bool:
        """Whether no working hours are set, so every minute counts."""
        return not any(self.periods.values())

    def open_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working periods of local ``day`` as UTC ``(start, end)`` pairs."""
        if day in self.holidays:
            return []
        midnight = datetime.combine(day, time(0), tzinfo=self.timezone)
        return [(_utc(midnight + timedelta(minutes=start)),
                 _utc(midnight + timedelta(minutes=end)))
                for start, end in _merged(self.periods.get(day.weekday(), ()))]

    def _periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working periods (UTC) from the local day of ``moment`` on, for the horizon."""
        first = moment.astimezone(self.timezone).date()
        for offset in range(HORIZON_DAYS):
            yield from self.open_periods(first + timedelta(days=offset))

    def add(self, start: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` of working time after ``start`` (UTC)."""
        start = _utc(start)
        if self.always_open:
            return start + timedelta(minutes=minutes)
        remaining = timedelta(minutes=minutes)
        for period_start, period_end in self._periods_from(start):
            begin = max(period_start, start)
            if begin >= period_end:
                continue
            if period_end - begin >= remaining:
                return begin + remaining
            remaining -= period_end - begin
        raise NeverOpen("no working hours within three years")

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole minutes of working time from ``start`` to ``end`` (0 if ``end`` is first)."""
        start, end = _utc(start), _utc(end)
        if end <= start:
            return 0
        if self.always_open:
            return int((end - start).total_seconds() // 60)
        worked = timedelta()
        last_day = end.astimezone(self.timezone).date()
        day = start.astimezone(self.timezone).date()
        while day <= last_day:
            for period_start, period_end in self.open_periods(day):
                overlap = min(period_end, end) - max(period_start, start)
                if overlap > timedelta():
                    worked += overlap
            day += timedelta(days=1)
        return int(worked.total_seconds() // 60)


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching periods joined, so no minute counts twice."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
