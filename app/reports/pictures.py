"""The report page's charts, each with the table that goes under it (the same figures,
for screen readers and for reading exact values)."""
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from app.formatting import duration
from app.reports import charts
from app.reports.charts import Line


def _label(start: str, period: str) -> str:
    day = date.fromisoformat(start)
    if period == "month":
        return format_date(day, "LLL yyyy")
    return format_date(day, "d MMM")


def _hours(seconds):
    return None if seconds is None else round(seconds / 3600, 2)


def _chart(key, title, svg, columns, rows, note=None) -> dict:
    return {"key": key, "title": title, "svg": svg, "columns": columns, "rows": rows,
            "note": note}


def report_charts(report: dict) -> list[dict]:
    series, period = report["series"], report["period"]
    labels = [_label(item["start"], period) for item in series]
    full = [format_date(date.fromisoformat(item["start"]), "medium") for item in series]

    def column(name):
        return [item[name] for item in series]

    def table(*names, fmt=str):
        return [[full[n]] + [("—" if item[name] is None else fmt(item[name])) for name in names]
                for n, item in enumerate(series)]

    period_name = _("Period from")
    out = [
        _chart("volume", _("Received and resolved"), charts.lines(labels, [
            Line(_("Received"), column("received")), Line(_("Resolved"), column("resolved"))],
            title=_("Received and resolved")),
            [period_name, _("Received"), _("Resolved")], table("received", "resolved")),
        _chart("backlog", _("Backlog at the end of the period"), charts.lines(labels, [
            Line(_("Backlog"), column("backlog"))], title=_("Backlog at the end of the period")),
            [period_name, _("Backlog")], table("backlog")),
        _chart("times", _("Median first response and resolution, business hours"),
               charts.lines(labels, [
                   Line(_("First response"), [_hours(v) for v in column(
                       "first_response_median_s")]),
                   Line(_("Resolution"), [_hours(v) for v in column("resolution_median_s")])],
                   title=_("Median first response and resolution, business hours")),
               [period_name, _("First response, median"), _("First response, 90th percentile"),
                _("Resolution, median"), _("Resolution, 90th percentile")],
               table("first_response_median_s", "first_response_p90_s",
                     "resolution_median_s", "resolution_p90_s", fmt=duration)),
        _chart("sla", _("SLA met: share of resolved tickets with targets"), charts.lines(labels, [
            Line(_("SLA met"), column("sla_met_pct"))],
            title=_("SLA met: share of resolved tickets with targets")),
            [period_name, _("SLA met") + ", %"], table("sla_met_pct")),
        _chart("quality", _("Reopened and satisfaction"), charts.bars(
            labels, column("reopened"), title=_("Reopened tickets"), name=_("Reopened")),
            [period_name, _("Reopened"), _("Ratings"), _("Average rating (1–5)")],
            table("reopened", "ratings", "satisfaction_avg"),
            note=_("Broken down by department, agent, type, priority and channel in the "
                   "tables below.")),
        _chart("deflection", _("Requests the knowledge base answered"), charts.bars(
            labels, column("deflected"), title=_("Requests the knowledge base answered"),
            name=_("Answered by articles")),
            [period_name, _("Answered by articles")], table("deflected"),
            note=_("An answer from the knowledge base comes before any ticket, so this "
                   "figure has no department, agent, type, priority or channel: it is shown "
                   "for the whole company only.")),
    ]
    return out


def forecast_chart(report: dict) -> dict | None:
    points = report["forecast"]
    if not points:
        return None
    labels = [format_date(date.fromisoformat(p["start"]), "d MMM") for p in points]
    line = Line(_("Forecast"), [p["received"] for p in points],
                band=([p["low"] for p in points], [p["high"] for p in points]))
    title = _("Forecast of received tickets, next 30 days")
    rows = [[format_date(date.fromisoformat(p["start"]), "EEE, d MMM"), p["received"],
             p["low"], p["high"]] for p in points]
    columns = [_("Day"), _("Expected"), _("Low end of the band"), _("High end of the band")]
    return _chart("forecast", title, charts.lines(labels, [line], title=title), columns, rows)
