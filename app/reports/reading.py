"""Reading the rollups of a range: whole months from month rows, whole weeks at the edges
from week rows, the rest from day rows; and adding the rows up by group (``totals``)."""
from collections.abc import Callable, Hashable, Sequence
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.reports import histogram
from app.reports.models import Rollup
from app.reports.periods import month_start, next_month
from app.reports.rollup import COUNTS, HISTOGRAMS
from app.reports.summing import Grouped

_COLUMNS = (Rollup.span, Rollup.dimension, Rollup.day, Rollup.key,
            *(getattr(Rollup, name) for name in COUNTS + HISTOGRAMS))


def _whole(span: str, start: date, end: date) -> tuple[date, date] | None:
    """(first, last) starts of the whole weeks or months inside ``start``..``end``."""
    if span == "month":
        first = start if start.day == 1 else next_month(start)
        last_day = end if next_month(end) - timedelta(days=1) == end \
            else month_start(end) - timedelta(days=1)
        return (first, month_start(last_day)) if first <= last_day else None
    first = start + timedelta(days=(7 - start.weekday()) % 7)
    last_day = end if end.weekday() == 6 else end - timedelta(days=end.weekday() + 1)
    return (first, last_day - timedelta(days=6)) if first <= last_day else None


def _pieces(start: date, end: date, spans=("month", "week")):
    """(span, first, last) pieces covering ``start``..``end``: month rows for every whole
    month inside, week rows for whole weeks at the edges, day rows for the rest."""
    if not spans:
        return [("day", start, end)]
    span, *finer = spans
    whole = _whole(span, start, end)
    if whole is None:
        return _pieces(start, end, tuple(finer))
    first, last = whole
    after = next_month(last) if span == "month" else last + timedelta(days=7)
    pieces = [(span, first, last)]
    if start < first:
        pieces += _pieces(start, first - timedelta(days=1), tuple(finer))
    if after <= end:
        pieces += _pieces(after, end, tuple(finer))
    return pieces


def rows(start: date, end: date, dimensions: tuple[str, ...], *,
         spans: tuple[str, ...] = ("month", "week")):
    """Rollup rows (as tuples of ``_COLUMNS``) of ``dimensions`` covering the range, from
    the coarsest of ``spans`` that fit (``()``: day rows only, as a series by day needs;
    ``("month",)`` for a series by month, whose buckets a week could straddle)."""
    covers = or_(*(and_(Rollup.span == span, Rollup.day >= first, Rollup.day <= last)
                   for span, first, last in _pieces(start, end, spans)))
    return db.session.execute(select(*_COLUMNS).where(
        Rollup.dimension.in_(dimensions), covers)).all()


DURATIONS = {"first_response_median_s": ("first_response", 0.5),
             "first_response_p90_s": ("first_response", 0.9),
             "resolution_median_s": ("resolution", 0.5),
             "resolution_p90_s": ("resolution", 0.9)}
_FIRST_COUNT = 4  # rows are (span, dimension, day, key, *COUNTS, *HISTOGRAMS)


def blank() -> dict:
    """The figures of a group without rows."""
    return dict.fromkeys(COUNTS, 0) | dict.fromkeys(DURATIONS)


def totals(rows: Sequence, group_of: Callable[[tuple], Hashable]) -> dict[Hashable, dict]:
    """``{group: figures}`` summing ``rows`` by ``group_of(row)``: the counts of ``COUNTS``
    and the percentiles of ``DURATIONS`` read off the summed histograms."""
    grouped = Grouped(rows, group_of)
    last = _FIRST_COUNT + len(COUNTS)
    counts = grouped.counts(_FIRST_COUNT, last)
    summed = {name: grouped.histograms(position)
              for position, name in enumerate(HISTOGRAMS, start=last)}
    durations = {figure: histogram.percentiles(summed[name], share)
                 for figure, (name, share) in DURATIONS.items()}
    return {group: dict(zip(COUNTS, map(int, counts[n]), strict=True))
            | {figure: values[n] for figure, values in durations.items()}
            for n, group in enumerate(grouped.groups)}


def opening_backlog(start: date) -> int:
    """Tickets received before ``start`` and not resolved before it."""
    first_month = month_start(start)
    difference = func.coalesce(func.sum(Rollup.received - Rollup.resolved), 0)
    return int(db.session.scalar(select(difference).where(
        Rollup.dimension == "all",
        or_(and_(Rollup.span == "month", Rollup.day < first_month),
            and_(Rollup.span == "day", Rollup.day >= first_month, Rollup.day < start)))))


def daily_received(start: date, end: date) -> list[int]:
    """Received tickets per day from ``start`` to ``end`` (the forecast's history)."""
    counts = dict(db.session.execute(select(Rollup.day, Rollup.received).where(
        Rollup.span == "day", Rollup.dimension == "all", Rollup.day >= start,
        Rollup.day <= end)).all())
    return [counts.get(start + timedelta(days=n), 0) for n in range((end - start).days + 1)]
