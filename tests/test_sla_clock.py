"""The business clock across weekends, holidays, time zones and DST."""
from datetime import UTC, date, datetime, timedelta

import pytest

from app.sla.clock import (
    Calendar,
    add_business_minutes,
    business_minutes_between,
    is_open,
    parse_hhmm,
)

WEEKDAYS_9_18 = {str(d): [["09:00", "18:00"]] for d in range(5)}
MOSCOW = Calendar.build("Europe/Moscow", WEEKDAYS_9_18)  # UTC+3 all year, no DST
BERLIN = Calendar.build("Europe/Berlin", WEEKDAYS_9_18)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_within_the_same_day():
    # Monday 2026-11-23 10:00 Moscow = 07:00 UTC
    assert add_business_minutes(utc(2026, 11, 23, 7), 60, MOSCOW) == utc(2026, 11, 23, 8)


def test_before_opening_starts_at_opening():
    # Monday 06:00 Moscow (03:00 UTC) + 30 min → 09:30 Moscow
    assert add_business_minutes(utc(2026, 11, 23, 3), 30, MOSCOW) == utc(2026, 11, 23, 6, 30)


def test_carries_over_to_the_next_day():
    # Monday 17:00 Moscow + 2 h → Tuesday 10:00 Moscow (07:00 UTC)
    assert add_business_minutes(utc(2026, 11, 23, 14), 120, MOSCOW) == utc(2026, 11, 24, 7)


def test_ending_exactly_at_closing_stays_that_day():
    assert add_business_minutes(utc(2026, 11, 23, 14), 60, MOSCOW) == utc(2026, 11, 23, 15)


def test_skips_the_weekend():
    # Friday 2026-11-27 17:00 Moscow + 2 h → Monday 10:00 Moscow
    assert add_business_minutes(utc(2026, 11, 27, 14), 120, MOSCOW) == utc(2026, 11, 30, 7)
    # Starting on Saturday counts from Monday's opening.
    assert add_business_minutes(utc(2026, 11, 28, 12), 30, MOSCOW) == utc(2026, 11, 30, 6, 30)


def test_skips_holidays():
    calendar = Calendar.build("Europe/Moscow", WEEKDAYS_9_18, [date(2026, 11, 30)])
    # Friday 17:00 + 2 h, Monday a holiday → Tuesday 10:00
    assert add_business_minutes(utc(2026, 11, 27, 14), 120, calendar) == utc(2026, 12, 1, 7)


def test_new_year_holidays_in_a_row():
    holidays = [date(2027, 1, d) for d in range(1, 9)]
    calendar = Calendar.build("Europe/Moscow", WEEKDAYS_9_18, holidays)
    # Thursday 2026-12-31 17:00 + 2 h → Monday 2027-01-11 10:00 Moscow
    assert add_business_minutes(utc(2026, 12, 31, 14), 120, calendar) == utc(2027, 1, 11, 7)


def test_multiple_days_of_target():
    # 3 business days (27 h) from Wednesday 12:00 → Monday 12:00 (weekend skipped)
    assert add_business_minutes(utc(2026, 11, 25, 9), 27 * 60, MOSCOW) == utc(2026, 11, 30, 9)


def test_time_zone_decides_the_day():
    # Sunday 23:30 UTC is Monday 02:30 in Moscow: the first hour is Monday 09:00–10:00.
    assert add_business_minutes(utc(2026, 11, 22, 23, 30), 60, MOSCOW) == utc(2026, 11, 23, 7)
    new_york = Calendar.build("America/New_York", WEEKDAYS_9_18)
    # Saturday 01:00 UTC is Friday 20:00 in New York (EST, UTC-5): closed → Monday 09:00 EST.
    assert add_business_minutes(utc(2026, 11, 28, 1), 60, new_york) == utc(2026, 11, 30, 15)


def test_dst_spring_forward_keeps_wall_clock_hours():
    # Berlin moves to summer time on Sunday 2026-03-29. Friday 17:00 CET (16:00 UTC)
    # + 2 h → Monday 10:00 CEST, which is 08:00 UTC (not 09:00).
    assert add_business_minutes(utc(2026, 3, 27, 16), 120, BERLIN) == utc(2026, 3, 30, 8)


def test_dst_fall_back():
    # Back to winter time on Sunday 2026-10-25: Friday 17:00 CEST (15:00 UTC) + 2 h →
    # Monday 10:00 CET = 09:00 UTC.
    assert add_business_minutes(utc(2026, 10, 23, 15), 120, BERLIN) == utc(2026, 10, 26, 9)


def test_a_round_the_clock_day_is_23_hours_on_the_dst_night():
    always = Calendar.build("Europe/Berlin", {str(d): [["00:00", "24:00"]] for d in range(7)})
    saturday_noon = utc(2026, 3, 28, 11)  # 12:00 CET
    assert add_business_minutes(saturday_noon, 24 * 60, always) == utc(2026, 3, 29, 11)
    assert business_minutes_between(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22), always) == \
        23 * 60


def test_split_shifts():
    lunch = Calendar.build("UTC", {"0": [["13:00", "17:00"], ["09:00", "12:00"]]})
    # Monday 11:00 + 2 h: 1 h before lunch, 1 h after → 14:00
    assert add_business_minutes(utc(2026, 11, 23, 11), 120, lunch) == utc(2026, 11, 23, 14)
    assert business_minutes_between(utc(2026, 11, 23, 8), utc(2026, 11, 23, 18), lunch) == 7 * 60


def test_business_minutes_between():
    # Friday 17:00 → Monday 10:00 Moscow: two business hours.
    assert business_minutes_between(utc(2026, 11, 27, 14), utc(2026, 11, 30, 7), MOSCOW) == 120
    assert business_minutes_between(utc(2026, 11, 30, 7), utc(2026, 11, 27, 14), MOSCOW) == -120
    assert business_minutes_between(utc(2026, 11, 28, 7), utc(2026, 11, 29, 7), MOSCOW) == 0
    # A whole week is five nine-hour days.
    assert business_minutes_between(utc(2026, 11, 23), utc(2026, 11, 30), MOSCOW) == 45 * 60


def test_between_and_add_agree():
    start = utc(2026, 3, 26, 15, 17)
    for minutes in (1, 59, 540, 541, 2000, 10_000):
        due = add_business_minutes(start, minutes, BERLIN)
        assert business_minutes_between(start, due, BERLIN) == minutes


def test_naive_datetimes_are_utc_and_zero_is_start():
    assert add_business_minutes(datetime(2026, 11, 23, 7), 60, MOSCOW) == utc(2026, 11, 23, 8)
    assert add_business_minutes(utc(2026, 11, 28, 7), 0, MOSCOW) == utc(2026, 11, 28, 7)


def test_is_open():
    assert is_open(utc(2026, 11, 23, 6), MOSCOW)       # Monday 09:00
    assert not is_open(utc(2026, 11, 23, 15), MOSCOW)  # Monday 18:00
    assert not is_open(utc(2026, 11, 28, 9), MOSCOW)   # Saturday


def test_a_calendar_that_never_opens_fails_loudly():
    closed = Calendar.build("UTC", {})
    with pytest.raises(ValueError):
        add_business_minutes(utc(2026, 11, 23), 1, closed)


def test_parse_hhmm():
    assert parse_hhmm("09:30") == 570
    assert parse_hhmm("24:00") == 1440
    for bad in ("9", "25:00", "09:60", "ab:cd", "24:01", "9:5"):
        with pytest.raises(ValueError):
            parse_hhmm(bad)


def test_adding_is_monotonic():
    start = utc(2026, 11, 27, 14)
    dues = [add_business_minutes(start, m, MOSCOW) for m in range(0, 1200, 37)]
    assert dues == sorted(dues)
    assert all(b - a >= timedelta(minutes=37) for a, b in zip(dues, dues[1:], strict=False))
