"""Business time between many pairs of moments, fast: the SLA calendar's own open intervals
(``Calendar.intervals``, holidays and DST included), summed once per day into a running
total, so each duration is two lookups instead of a walk over the days in between.

``BusinessTimeline(calendar).between(a, b)`` equals
``app.sla.clock.business_time_between(a, b, calendar)`` in seconds (a test compares them);
the rollups call it for every ticket of a day, the clock's day walk would cost a month's
iterations for a ticket resolved a month later.
"""
from datetime import date, datetime, timedelta

from app.sla.clock import Calendar, as_utc


class BusinessTimeline:
    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self.start: date | None = None
        self.days: dict[date, tuple[float, list[tuple[datetime, datetime]]]] = {}

    def _build(self, start: date, end: date) -> None:
        """Cover ``start``..``end`` (local days), keeping what is already there."""
        if self.start is not None and start >= self.start and end < self._end:
            return
        first = min(start, self.start) if self.start is not None else start
        last = max(end, self._end) if self.start is not None else end
        days, total, day = {}, 0.0, first
        while day <= last:
            intervals = self.calendar.intervals(day)
            days[day] = (total, intervals)
            total += sum((close - opens).total_seconds() for opens, close in intervals)
            day += timedelta(days=1)
        self.start, self._end, self.days = first, last, days

    def _cover(self, *days: date) -> None:
        if self.start is None or not all(self.start <= day < self._end for day in days):
            self._build(min(days) - timedelta(days=1), max(days) + timedelta(days=32))

    def _elapsed(self, moment: datetime) -> float:
        """Business seconds from the timeline's origin (which moves when the timeline grows
        backwards: compare only values read between two ``_cover`` calls)."""
        before, intervals = self.days[moment.astimezone(self.calendar.tz).date()]
        for opens, close in intervals:
            if moment <= opens:
                break
            before += (min(moment, close) - opens).total_seconds()
        return before

    def between(self, a: datetime, b: datetime) -> float:
        """Business seconds from ``a`` to ``b`` (negative when ``b`` is earlier)."""
        a, b = as_utc(a), as_utc(b)
        self._cover(a.astimezone(self.calendar.tz).date(), b.astimezone(self.calendar.tz).date())
        return self._elapsed(b) - self._elapsed(a)


def local_day(moment: datetime, zone) -> date:
    return as_utc(moment).astimezone(zone).date()

