"""Business time, against hand-computed cases: working hours, holidays, time zones and the
days clocks change. Each expected moment is worked out in the comment above it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from patron_service.services.calendar import BusinessCalendar, NeverOpen

NINE_TO_FIVE = {day: ((9 * 60, 17 * 60),) for day in range(5)}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def calendar(zone: str = "UTC", periods=None, holidays=()) -> BusinessCalendar:
    return BusinessCalendar(ZoneInfo(zone), NINE_TO_FIVE if periods is None else periods,
                            frozenset(holidays))


def test_target_runs_over_the_weekend():
    # Friday 16:00 + 120 min: 60 left on Friday (to 17:00), 60 more from Monday 09:00.
    assert calendar().add(at("2030-01-04T16:00+00:00"), 120) == at("2030-01-07T10:00+00:00")


def test_holidays_are_skipped():
    # As above, but Monday 7 January is closed: Tuesday 09:00 + 60.
    closed = calendar(holidays=[date(2030, 1, 7)])
    assert closed.add(at("2030-01-04T16:00+00:00"), 120) == at("2030-01-08T10:00+00:00")


def test_clock_starts_at_opening_when_created_outside_hours():
    # Sunday 23:00: nothing counts until Monday 09:00; + 30 min.
    assert calendar().add(at("2030-01-06T23:00+00:00"), 30) == at("2030-01-07T09:30+00:00")
    # A target ending exactly at closing time is due at closing, not the next morning.
    assert calendar().add(at("2030-01-07T09:00+00:00"), 480) == at("2030-01-07T17:00+00:00")


def test_hours_are_the_tenants_local_hours():
    # New York in January is UTC-5. Friday 21:30 UTC = 16:30 local: 30 min to 17:00 local,
    # then Monday 09:00 local (14:00 UTC) + 30 = 14:30 UTC.
    new_york = calendar("America/New_York")
    assert new_york.add(at("2030-01-04T21:30+00:00"), 60) == at("2030-01-07T14:30+00:00")
    # Tokyo (UTC+9, no DST): Monday 08:00 UTC = 17:00 local, closed; Tuesday 09:00 local
    # = Tuesday 00:00 UTC; + 60.
    tokyo = calendar("Asia/Tokyo")
    assert tokyo.add(at("2030-01-07T08:00+00:00"), 60) == at("2030-01-08T01:00+00:00")


def test_opening_hours_follow_a_spring_forward_change():
    # Berlin: Friday 29 March 2030 is CET (UTC+1), Monday 1 April CEST (UTC+2; clocks went
    # forward on Sunday 31 March). Friday 15:00 UTC = 16:00 local: 60 min to closing; Monday
    # opens 09:00 CEST = 07:00 UTC; + 60 = 08:00 UTC.
    berlin = calendar("Europe/Berlin")
    assert berlin.add(at("2030-03-29T15:00+00:00"), 120) == at("2030-04-01T08:00+00:00")


def test_a_working_day_is_an_hour_shorter_or_longer_when_the_clocks_change():
    around_the_clock = {day: ((0, 24 * 60),) for day in range(7)}
    berlin = calendar("Europe/Berlin", around_the_clock)
    # Sunday 31 March 2030 from local midnight (Sat 23:00 UTC) to local midnight (Sun 22:00
    # UTC) is 23 hours.
    assert berlin.minutes_between(at("2030-03-30T23:00+00:00"),
                                  at("2030-03-31T22:00+00:00")) == 23 * 60
    # Sunday 27 October 2030 (back to CET) has 25: Sat 22:00 UTC to Sun 23:00 UTC.
    assert berlin.minutes_between(at("2030-10-26T22:00+00:00"),
                                  at("2030-10-27T23:00+00:00")) == 25 * 60
    # New York, Sunday 10 March 2030, 01:00 to 04:00 local with the 02:00 jump: two real
    # hours; 01:00 EST is 06:00 UTC, so 180 minutes from then ends at 04:00 EDT + 1 h.
    sundays = calendar("America/New_York", {6: ((60, 4 * 60), (5 * 60, 6 * 60))})
    assert sundays.minutes_between(at("2030-03-10T06:00+00:00"),
                                   at("2030-03-10T09:00+00:00")) == 120
    # 120 minutes: 01:00–04:00 local (08:00 UTC); 60 more from 05:00 EDT (09:00 UTC).
    assert sundays.add(at("2030-03-10T06:00+00:00"), 180) == at("2030-03-10T10:00+00:00")


def test_counting_skips_breaks_nights_and_holidays():
    split = calendar(periods={0: ((9 * 60, 12 * 60), (13 * 60, 17 * 60))})
    # Monday 11:00–14:00 with lunch 12–13: 60 + 60.
    assert split.minutes_between(at("2030-01-07T11:00+00:00"),
                                 at("2030-01-07T14:00+00:00")) == 120
    # Friday 16:00 to Tuesday 10:00 with Monday off: 60 (Fri) + 60 (Tue).
    closed = calendar(holidays=[date(2030, 1, 7)])
    assert closed.minutes_between(at("2030-01-04T16:00+00:00"),
                                  at("2030-01-08T10:00+00:00")) == 120
    assert closed.minutes_between(at("2030-01-08T10:00+00:00"),
                                  at("2030-01-04T16:00+00:00")) == 0


def test_overlapping_periods_count_once_and_no_hours_means_always_open():
    doubled = calendar(periods={0: ((9 * 60, 12 * 60), (10 * 60, 11 * 60))})
    assert doubled.minutes_between(at("2030-01-07T08:00+00:00"),
                                   at("2030-01-07T13:00+00:00")) == 180
    always = calendar(periods={})
    assert always.add(at("2030-01-05T23:30+00:00"), 90) == at("2030-01-06T01:00+00:00")
    every_day_a_holiday = [date.fromordinal(date(2030, 1, 1).toordinal() + n)
                           for n in range(4 * 366)]
    with pytest.raises(NeverOpen):
        calendar(holidays=every_day_a_holiday).add(at("2030-01-01T00:00+00:00"), 10)
