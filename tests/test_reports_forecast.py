"""The forecast on synthetic series with a known pattern, and the business timeline against
the SLA clock it stands in for."""
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from app.reports.forecast import MIN_DAYS, SHORT_DAYS, forecast
from app.reports.timeline import BusinessTimeline
from app.sla.clock import Calendar, business_time_between

LAST = date(2025, 6, 1)  # a Sunday
PATTERN = [20, 22, 21, 19, 18, 4, 2]  # Monday … Sunday


def series(days: int, *, slope: float = 0.0, noise: float = 0.0, seed: int = 7) -> list[int]:
    rng = random.Random(seed)
    first = LAST - timedelta(days=days - 1)
    out = []
    for t in range(days):
        day = first + timedelta(days=t)
        level = 1 + slope * t / 20
        out.append(max(0, round(PATTERN[day.weekday()] * level + rng.gauss(0, noise))))
    return out


def test_a_pure_weekly_pattern_is_repeated_exactly():
    result = forecast(series(56), last_day=LAST)
    assert result.available and not result.short_history
    week = [p["received"] for p in result.points[:7]]
    assert week == pytest.approx(PATTERN, abs=0.05)  # Monday 2 June onwards
    assert [p["day"].weekday() for p in result.points[:7]] == list(range(7))
    assert abs(result.slope_per_day) < 1e-6
    # No noise in the past: the band has nothing to widen.
    assert all(p["low"] == p["high"] == p["received"] for p in result.points)
    assert result.total(7)["received"] == pytest.approx(sum(PATTERN), abs=0.2)


def test_a_trend_is_carried_forward():
    rising = forecast(series(56, slope=0.5), last_day=LAST)
    flat = forecast(series(56), last_day=LAST)
    assert rising.slope_per_day > 0
    assert rising.total(7)["received"] > flat.total(7)["received"] * 1.5
    assert rising.points[0]["received"] > rising.points[0]["received"] / 2 > 0


def test_the_band_holds_most_of_what_really_comes():
    history = series(56 + 28, noise=3.0, seed=11)
    result = forecast(history[:56], last_day=LAST - timedelta(days=28))
    actual = history[56:]
    inside = sum(p["low"] <= a <= p["high"] for p, a in zip(result.points, actual, strict=False))
    assert inside >= 0.6 * len(actual)
    assert all(p["low"] <= p["received"] <= p["high"] for p in result.points)
    widths = [p["high"] - p["low"] for p in result.points]
    assert widths[-1] > widths[0]  # further out, less sure


def test_short_history_is_flagged_and_too_short_gives_none():
    assert not forecast(series(MIN_DAYS - 1), last_day=LAST).available
    short = forecast(series(MIN_DAYS), last_day=LAST)
    assert short.available and short.short_history
    assert not forecast(series(SHORT_DAYS), last_day=LAST).short_history
    assert forecast([0] * 30, last_day=LAST).total(7)["received"] == 0


def test_timeline_agrees_with_the_sla_clock():
    calendar = Calendar.build("Europe/Moscow", {str(d): [["09:00", "13:00"], ["14:00", "18:00"]]
                                                for d in range(5)} | {"5": [["10:00", "14:00"]]},
                              holidays=[date(2025, 3, 8), date(2025, 5, 1)])
    timeline = BusinessTimeline(calendar)
    rng = random.Random(3)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for _ in range(300):
        a = start + timedelta(minutes=rng.randrange(0, 200 * 24 * 60))
        b = a + timedelta(minutes=rng.randrange(0, 40 * 24 * 60))
        assert timeline.between(a, b) == business_time_between(a, b, calendar).total_seconds()
    assert timeline.between(start + timedelta(days=3), start) < 0


def test_timeline_across_a_clock_change():
    calendar = Calendar.build("Europe/Berlin", {str(d): [["00:00", "24:00"]] for d in range(7)})
    timeline = BusinessTimeline(calendar)
    before = datetime(2025, 3, 29, 12, tzinfo=UTC)
    after = datetime(2025, 3, 30, 12, tzinfo=UTC)
    assert timeline.between(before, after) == 24 * 3600  # real time, though the day had 23 h
