"""A report's range and period, checked once for the page, the API and the CSV alike."""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import ValidationFailed

PERIODS = {"day": _l("Day"), "week": _l("Week"), "month": _l("Month")}
MAX_DAYS = 3 * 365 + 1  # "at most three years", a leap day included
DEFAULT_DAYS = {"day": 30, "week": 12 * 7, "month": 365}
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Range:
    period: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def buckets(self) -> list[tuple[date, date]]:
        """(first, last) local days of each period, clipped to the range."""
        out, cursor = [], self.start
        while cursor <= self.end:
            last = min(self.end, period_end(self.period, cursor))
            out.append((cursor, last))
            cursor = last + timedelta(days=1)
        return out


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_end(period: str, day: date) -> date:
    if period == "day":
        return day
    if period == "week":
        return day + timedelta(days=6 - day.weekday())
    return next_month(day) - timedelta(days=1)


def _date(name: str, raw) -> date | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    try:
        if not _DATE.match(text):
            raise ValueError
        value = date.fromisoformat(text)
        if not EARLIEST <= value <= LATEST:
            raise ValueError
        return value
    except ValueError:
        raise ValidationFailed(fields={name: _(
            "Use a date like 2025-01-31, from 2000 to 2099.")}) from None


def parse_range(*, period=None, start=None, end=None, today: date) -> Range:
    """The range asked for, or 422: an unknown period, a date that is not a date, ``from``
    after ``to``, or more than three years. Missing dates default to a range ending today
    that suits the period."""
    period = (period or "day").strip() if isinstance(period, str) else period or "day"
    if period not in PERIODS:
        raise ValidationFailed(fields={"period": _(
            "Choose day, week or month.")})
    first, last = _date("from", start), _date("to", end)
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS[period] - 1)
    if first > last:
        raise ValidationFailed(fields={"from": _("The start is after the end.")})
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed(fields={"to": _("A report covers at most three years.")})
    return Range(period, first, last)
