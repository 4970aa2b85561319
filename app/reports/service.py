"""The report: series per period, breakdowns, backlog, satisfaction, deflection, forecast.

``build_report(actor=…, period=…, start=…, end=…)`` is what the page, the API and the CSV
call. Admins and managers read reports (agents: 403); the tenant needs the "reports" add-on
(402 ``plan_limit``). All figures come from the rollups (``app.reports.rollup``), whose
freshness ``as_of`` states.
"""
from datetime import timedelta

from app.departments.service import list_departments
from app.kb.figures import figures_between
from app.reports import forecast as forecasting
from app.reports import reading, rollup
from app.reports.periods import Range, parse_range
from app.staff.roles import MANAGERS, require_role
from app.staff.service import list_staff
from app.tickets.constants import LABELS
from billing.gates import require_addon
from tenants.resolve import current_tenant

BREAKDOWNS = ("department", "agent", "type", "priority", "channel")


def check_access(actor) -> None:
    """Reports: admins and managers of a tenant with the add-on."""
    require_role(actor, MANAGERS)
    require_addon(current_tenant(), "reports")


def _durations(figures: dict) -> dict:
    return {name: figures[name] for name in reading.DURATIONS}


def _sla(figures: dict) -> float | None:
    total = figures["sla_total"]
    return round(100 * figures["sla_met"] / total, 1) if total else None


def _satisfaction(figures: dict) -> dict:
    ratings = figures["ratings"]
    return {"ratings": ratings,
            "satisfaction_avg": round(figures["rating_sum"] / ratings, 2) if ratings else None}


def _series(span: Range, opening: int) -> list[dict]:
    buckets = span.buckets()
    index = {}
    for n, (first, last) in enumerate(buckets):
        for d in range((last - first).days + 1):
            index[first + timedelta(days=d)] = n
    spans = ("month",) if span.period == "month" else ()
    found = reading.totals(reading.rows(span.start, span.end, ("all",), spans=spans),
                           lambda row: index[row[2]])  # a month row's first day: its bucket
    sums = [found.get(n) or reading.blank() for n in range(len(buckets))]
    deflection = figures_between(span.start, span.end)
    deflected = [0] * len(buckets)
    for day, kinds in deflection.items():
        deflected[index[day]] += kinds["session_deflected"]
    series, backlog = [], opening
    for (first, _last), figures, saved in zip(buckets, sums, deflected, strict=True):
        backlog += figures["received"] - figures["resolved"]
        series.append({
            "start": first.isoformat(), "received": figures["received"],
            "resolved": figures["resolved"], "backlog": backlog,
            "reopened": figures["reopened"], **_durations(figures),
            "sla_met_pct": _sla(figures), **_satisfaction(figures), "deflected": saved})
    return series


def _names() -> dict[str, dict[str, str]]:
    departments = {str(d.id): d.name for d in list_departments()}
    agents = {str(s.id): s.name for s in list_staff()}
    labels = {value: str(label) for value, label in LABELS.items()}
    return {"department": departments, "agent": agents, "type": labels, "priority": labels,
            "channel": labels}


def _breakdowns(span: Range) -> dict[str, list[dict]]:
    sums = reading.totals(reading.rows(span.start, span.end, BREAKDOWNS),
                          lambda row: (row[1], row[3]))
    names = _names()
    out: dict[str, list[dict]] = {dimension: [] for dimension in BREAKDOWNS}
    for (dimension, key), figures in sums.items():
        out[dimension].append({
            "key": key or None, "name": names[dimension].get(key, key) if key else None,
            "received": figures["received"], "resolved": figures["resolved"],
            "reopened": figures["reopened"], **_durations(figures),
            "sla_met_pct": _sla(figures), **_satisfaction(figures)})
    for items in out.values():
        items.sort(key=lambda item: (-item["received"], item["name"] or ""))
    return out


def forecast_now() -> forecasting.Forecast:
    """Received tickets for the next 30 days, from the days before today."""
    yesterday = rollup.today() - timedelta(days=1)
    start = yesterday - timedelta(days=forecasting.WINDOW - 1)
    counts = reading.daily_received(start, yesterday)
    first_seen = next((n for n, count in enumerate(counts) if count), len(counts))
    return forecasting.forecast(counts[first_seen:], last_day=yesterday)


def forecast_json(result: forecasting.Forecast) -> dict:
    return {"available": result.available, "short_history": result.short_history,
            "history_days": result.history_days,
            "next_7_days": result.total(7) if result.available else None,
            "next_30_days": result.total(30) if result.available else None}


def build_report(*, actor, period=None, start=None, end=None) -> dict:
    """The report for ``period`` (day, week, month) from ``start`` to ``end`` (local dates,
    as typed; 422 when wrong). Admins and managers; needs the "reports" add-on."""
    check_access(actor)
    if not rollup.is_built():
        rollup.rebuild()
    span = parse_range(period=period, start=start, end=end, today=rollup.today())
    result = forecast_now()
    built = rollup.built_at()
    return {"period": span.period, "from": span.start.isoformat(), "to": span.end.isoformat(),
            "timezone": rollup.tenant_zone().key,
            "as_of": built.isoformat() if built else None,
            "series": _series(span, reading.opening_backlog(span.start)),
            **{f"by_{name}": items for name, items in _breakdowns(span).items()},
            "forecast": [{"start": p["day"].isoformat(), "received": p["received"],
                          "low": p["low"], "high": p["high"]} for p in result.points],
            "forecast_summary": forecast_json(result)}
