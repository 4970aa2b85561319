"""Forecast of received tickets: a weekday pattern times a linear trend, with a band.

Why this method and not Holt-Winters (statsmodels): a help desk's daily load is mostly a
weekly pattern (quiet weekends) on a slowly moving level, and the tenants who need a
forecast have weeks, not years, of history. A seasonal-naive model with a trend has three
parts anyone can check by hand — the weekday factors, the level and its slope — estimates
stably from four weeks, and needs no scientific stack; Holt-Winters fits three smoothing
constants by optimisation, which on a few weeks of counts is unstable and opaque.

The model, on the last ``WINDOW`` days of history (``counts``, oldest first):

* weekday factor = that weekday's mean / the overall mean (1 for all days when the mean is 0);
* the deseasonalised series (count / factor) gets a least-squares line: level and slope;
* forecast(day) = max(0, (level + slope · t) · factor(weekday)).

The band is honest about what the model missed: the in-sample residuals' 10th and 90th
percentiles (an 80 % band), widened with the square root of the horizon in weeks, since the
trend's error grows the further it is carried. With fewer than ``MIN_DAYS`` days there is no
forecast; with fewer than ``SHORT_DAYS`` the result carries a note that history is short.
"""
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

WINDOW = 56  # eight weeks: enough for the weekday pattern, short enough to follow the level
MIN_DAYS = 14
SHORT_DAYS = 28


@dataclass
class Forecast:
    points: list[dict] = field(default_factory=list)  # {day, received, low, high}
    history_days: int = 0
    short_history: bool = False
    weekday_factors: list[float] = field(default_factory=list)
    slope_per_day: float = 0.0

    @property
    def available(self) -> bool:
        return bool(self.points)

    def total(self, days: int) -> dict:
        chosen = self.points[:days]
        return {"days": days, "received": round(sum(p["received"] for p in chosen), 1),
                "low": round(sum(p["low"] for p in chosen), 1),
                "high": round(sum(p["high"] for p in chosen), 1)}


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = share * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _line(values: list[float]) -> tuple[float, float]:
    """Least-squares (intercept, slope) of ``values`` over t = 0..n-1."""
    n = len(values)
    mean_t, mean_v = (n - 1) / 2, sum(values) / n
    spread = sum((t - mean_t) ** 2 for t in range(n))
    slope = sum((t - mean_t) * (v - mean_v) for t, v in enumerate(values)) / spread \
        if spread else 0.0
    return mean_v - slope * mean_t, slope


def forecast(counts: list[int], *, last_day: date, horizon: int = 30) -> Forecast:
    """Forecast ``horizon`` days after ``last_day`` from the daily ``counts`` ending on it."""
    history = list(counts[-WINDOW:])
    result = Forecast(history_days=len(history), short_history=len(history) < SHORT_DAYS)
    if len(history) < MIN_DAYS:
        return result
    first_day = last_day - timedelta(days=len(history) - 1)
    weekdays = [(first_day + timedelta(days=t)).weekday() for t in range(len(history))]
    mean = sum(history) / len(history)
    factors = []
    for weekday in range(7):
        values = [v for v, w in zip(history, weekdays, strict=True) if w == weekday]
        factors.append((sum(values) / len(values)) / mean if values and mean else 1.0)
    adjusted = [v / factors[w] if factors[w] else 0.0
                for v, w in zip(history, weekdays, strict=True)]
    level, slope = _line(adjusted)
    fitted = [max(0.0, (level + slope * t) * factors[w]) for t, w in enumerate(weekdays)]
    residuals = [v - f for v, f in zip(history, fitted, strict=True)]
    below = min(0.0, _quantile(residuals, 0.1))
    above = max(0.0, _quantile(residuals, 0.9))
    for step in range(1, horizon + 1):
        day = last_day + timedelta(days=step)
        t = len(history) - 1 + step
        value = max(0.0, (level + slope * t) * factors[day.weekday()])
        widen = math.sqrt(1 + step / 7)
        result.points.append({"day": day, "received": round(value, 1),
                              "low": round(max(0.0, value + below * widen), 1),
                              "high": round(max(0.0, value + above * widen), 1)})
    result.weekday_factors = [round(f, 3) for f in factors]
    result.slope_per_day = round(slope, 3)
    return result
