"""A report's table as CSV: one table per file, the columns of its JSON items."""
import csv
import io

from flask import Response

TABLES = ("series", "by_department", "by_agent", "by_type", "by_priority", "by_channel")


def as_csv(report: dict, table: str) -> Response:
    """``report[table]`` as a CSV download (UTF-8 with a byte-order mark, so spreadsheet
    programs read Cyrillic names right); empty values for missing figures."""
    items = report[table]
    columns = list(items[0]) if items else _columns(table)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow(["" if item.get(c) is None else item.get(c) for c in columns])
    filename = f"report-{table}-{report['from']}-{report['to']}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _columns(table: str) -> list[str]:
    if table == "series":
        return ["start", "received", "resolved", "backlog", "reopened",
                "first_response_median_s", "first_response_p90_s", "resolution_median_s",
                "resolution_p90_s", "sla_met_pct", "ratings", "satisfaction_avg", "deflected"]
    return ["key", "name", "received", "resolved", "reopened", "first_response_median_s",
            "first_response_p90_s", "resolution_median_s", "resolution_p90_s", "sla_met_pct",
            "ratings", "satisfaction_avg"]
