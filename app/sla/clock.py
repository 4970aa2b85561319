"""The business clock: pure functions over a tenant's calendar, no database.

Opening hours are wall-clock times in the calendar's time zone; business time is the
real time elapsed inside them. So a DST night inside opening hours counts 23 or 25
hours, and 09:00–18:00 is nine hours on either side of a clock change. All inputs and
outputs are aware datetimes; results are in UTC.
"""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
# A calendar open at least once a week reaches any target within this many days unless
# holidays block it; past it the calendar can't be satisfied.
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Calendar:
    """``hours[weekday]`` (Monday 0) is a tuple of (open, close) minute offsets from local
    midnight, 0 <= open < close <= 1440; a missing or empty weekday is closed."""

    tz: ZoneInfo
    hours: dict[int, tuple[tuple[int, int], ...]]
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def build(cls, tz: str, hours: dict, holidays=()) -> "Calendar":
        """From stored settings: ``{"0": [["09:00", "18:00"]], ...}`` and dates."""
        parsed = {}
        for day, intervals in hours.items():
            parsed[int(day)] = tuple(sorted((parse_hhmm(a), parse_hhmm(b))
                                            for a, b in intervals or ()))
        return cls(ZoneInfo(tz), parsed, frozenset(holidays))

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open intervals as UTC datetimes."""
        if day in self.holidays:
            return []
        out = []
        for start, end in self.hours.get(day.weekday(), ()):
            out.append((_at(day, start, self.tz), _at(day, end, self.tz)))
        return out


def parse_hhmm(value: str) -> int:
    """"09:30" → 570; "24:00" is the end of the day. Raises ValueError otherwise."""
    hours, sep, minutes = str(value).partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"not a time: {value!r}")
    total = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or total > MINUTES_PER_DAY:
        raise ValueError(f"not a time: {value!r}")
    return total


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _at(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    if minutes >= MINUTES_PER_DAY:
        day, minutes = day + timedelta(days=1), minutes - MINUTES_PER_DAY
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)
    return local.astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # a caller's naive moment means UTC, as everywhere here
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def add_business_time(start: datetime, amount: timedelta, calendar: Calendar) -> datetime:
    """The moment ``amount`` of business time after ``start`` (UTC)."""
    cursor, remaining = as_utc(start), amount
    if remaining <= timedelta(0):
        return cursor
    day = cursor.astimezone(calendar.tz).date() - timedelta(days=1)  # an interval may
    for _ in range(MAX_DAYS):                                      # run past midnight
        for opens, closes in calendar.intervals(day):
            begin = max(opens, cursor)
            if closes <= begin:
                continue
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
            cursor = closes
        day += timedelta(days=1)
    raise ValueError("the calendar has no open hours within three years")


def add_business_minutes(start: datetime, minutes: int | float, calendar: Calendar) -> datetime:
    """The moment ``minutes`` business minutes after ``start`` (UTC)."""
    return add_business_time(start, timedelta(minutes=minutes), calendar)


def business_time_between(a: datetime, b: datetime, calendar: Calendar) -> timedelta:
    """Business time from ``a`` to ``b``; negative when ``b`` is before ``a``."""
    a, b = as_utc(a), as_utc(b)
    if b < a:
        return -business_time_between(b, a, calendar)
    total = timedelta(0)
    day = a.astimezone(calendar.tz).date() - timedelta(days=1)
    last = b.astimezone(calendar.tz).date()
    while day <= last:
        for opens, closes in calendar.intervals(day):
            begin, end = max(opens, a), min(closes, b)
            if end > begin:
                total += end - begin
        day += timedelta(days=1)
    return total


def business_minutes_between(a: datetime, b: datetime, calendar: Calendar) -> int:
    """Whole business minutes from ``a`` to ``b`` (truncated toward zero)."""
    return int(business_time_between(a, b, calendar) / timedelta(minutes=1))


def is_open(moment: datetime, calendar: Calendar) -> bool:
    moment = as_utc(moment)
    day = moment.astimezone(calendar.tz).date()
    return any(opens <= moment < closes for d in (day - timedelta(days=1), day)
               for opens, closes in calendar.intervals(d))
