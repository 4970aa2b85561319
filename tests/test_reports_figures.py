"""Report figures against hand-computed expectations on fixed data: days in a time zone
far from UTC, business-hours durations across a weekend, backlog, SLA, periods."""
from datetime import timedelta

import pytest

from app.reports import histogram
from app.reports.summing import Grouped
from tests.reports_support import local, rebuild, reports_company, ticket

ZONE = "Pacific/Kiritimati"  # UTC+14: a local day starts at 10:00 UTC the day before


def at(*args):
    return local(ZONE, 2025, 3, *args)


@pytest.fixture
def week(app, signup):
    """Four tickets around a weekend (local times; Mon–Fri 09:00–18:00):

    T1 created Fri 7th 08:30, answered 09:20 (20 min), resolved Mon 10th 10:00
       (Fri 9 h + Mon 1 h = 600 min), past its SLA;
    T2 created Fri 17:50, answered Mon 09:05 (10 + 5 = 15 min), resolved Mon 12:00
       (10 min + 3 h = 190 min), within its SLA;
    T3 created Sat 8th 11:00, answered Mon 09:40 (40 min: the weekend counts nothing), open;
    T4 created Mon 08:00, not answered, open.
    """
    api, tenant_id, _slug = reports_company(app, signup, timezone=ZONE)
    due = at(20, 12, 0)
    ticket(app, api, "T1", created_at=at(7, 8, 30), first_response_at=at(7, 9, 20),
           resolved_at=at(10, 10, 0), status="resolved", sla_breached=True,
           first_response_due_at=due, resolution_due_at=due)
    ticket(app, api, "T2", created_at=at(7, 17, 50), first_response_at=at(10, 9, 5),
           resolved_at=at(10, 12, 0), status="resolved", sla_breached=False,
           first_response_due_at=due, resolution_due_at=due)
    ticket(app, api, "T3", created_at=at(8, 11, 0), first_response_at=at(10, 9, 40), status="open")
    ticket(app, api, "T4", created_at=at(10, 8, 0), status="open")
    rebuild(app, tenant_id)
    return api


def minutes(n: int) -> int:
    return n * 60


def test_days_are_the_company_days_and_times_are_business_hours(week):
    report = week.get("/reports?period=day&from=2025-03-07&to=2025-03-10").get_json()
    series = {item["start"]: item for item in report["series"]}
    assert report["timezone"] == ZONE
    assert [item["start"] for item in report["series"]] == [
        "2025-03-07", "2025-03-08", "2025-03-09", "2025-03-10"]
    # T1 was created on Thursday in UTC, Friday in the company's zone.
    assert [series[d]["received"] for d in sorted(series)] == [2, 1, 0, 1]
    assert [series[d]["resolved"] for d in sorted(series)] == [0, 0, 0, 2]
    assert [series[d]["backlog"] for d in sorted(series)] == [2, 3, 3, 2]
    friday, monday = series["2025-03-07"], series["2025-03-10"]
    assert friday["first_response_median_s"] == minutes(20)
    # Monday's first responses: 15 and 40 minutes; nearest rank: median 15, 90th 40.
    assert monday["first_response_median_s"] == minutes(15)
    assert monday["first_response_p90_s"] == minutes(40)
    # Resolutions 190 and 600 minutes, reported as their buckets' upper edges (192, 621).
    assert monday["resolution_median_s"] == minutes(192)
    assert monday["resolution_p90_s"] == minutes(621)
    assert monday["sla_met_pct"] == 50.0
    assert series["2025-03-08"]["first_response_median_s"] is None
    assert series["2025-03-08"]["sla_met_pct"] is None


def test_breakdowns_cover_the_whole_range(week):
    report = week.get("/reports?period=day&from=2025-03-07&to=2025-03-10").get_json()
    (channel,) = report["by_channel"]
    assert channel["key"] == "api" and channel["received"] == 4 and channel["resolved"] == 2
    assert channel["first_response_median_s"] == minutes(20)  # 15, 20, 40: the middle one
    (priority,) = report["by_priority"]
    assert priority["key"] == "normal" and priority["sla_met_pct"] == 50.0
    (agent,) = report["by_agent"]
    assert agent["key"] is None and agent["name"] is None  # nobody was assigned


def test_weeks_are_clipped_to_the_range_and_backlog_starts_from_history(week):
    report = week.get("/reports?period=week&from=2025-03-08&to=2025-03-16").get_json()
    starts = [item["start"] for item in report["series"]]
    assert starts == ["2025-03-08", "2025-03-10"]  # Saturday (clipped), then Monday's week
    first, second = report["series"]
    # Friday's two tickets are history: the backlog starts at 2.
    assert (first["received"], first["backlog"]) == (1, 3)
    assert (second["received"], second["resolved"], second["backlog"]) == (1, 2, 2)


def test_a_month_adds_up_its_days(week):
    by_month = week.get("/reports?period=month&from=2025-02-01&to=2025-03-31").get_json()
    by_day = week.get("/reports?period=day&from=2025-02-01&to=2025-03-31").get_json()
    assert [i["start"] for i in by_month["series"]] == ["2025-02-01", "2025-03-01"]
    march = by_month["series"][1]
    assert march["received"] == sum(i["received"] for i in by_day["series"]) == 4
    assert march["resolved"] == 2 and march["backlog"] == 2
    assert march["first_response_median_s"] == minutes(20)
    # A range with partial months reads day rows at its edges and month rows between.
    edges = week.get("/reports?period=month&from=2025-02-15&to=2025-03-08").get_json()
    assert [i["received"] for i in edges["series"]] == [0, 3]


def test_month_rows_serve_ranges_with_whole_months_inside(week):
    report = week.get("/reports?period=day&from=2025-01-20&to=2025-04-03").get_json()
    assert sum(item["received"] for item in report["by_channel"]) == 4


def test_bucket_edges_are_exact_minutes_within_the_first_hour():
    assert [histogram.EDGES[histogram.bucket(minutes(m))] for m in (1, 15, 59, 60)] == [
        minutes(1), minutes(15), minutes(59), minutes(60)]
    assert histogram.percentile(histogram.empty(), 0.5) is None
    for value in (minutes(61), minutes(600), minutes(60 * 24 * 30)):
        edge = histogram.EDGES[histogram.bucket(value)]
        assert value <= edge <= value * 1.06


def test_a_ticket_on_the_local_days_edge(app, signup):
    api, tenant_id, _ = reports_company(app, signup, timezone=ZONE)
    midnight = local(ZONE, 2025, 3, 12, 0, 0)
    ticket(app, api, created_at=midnight - timedelta(seconds=1))
    ticket(app, api, created_at=midnight)
    rebuild(app, tenant_id)
    series = api.get("/reports?from=2025-03-11&to=2025-03-12").get_json()["series"]
    assert [item["received"] for item in series] == [1, 1]


def test_stored_histograms_decode_and_add_up_to_what_was_counted():
    """The stored form drops the empty buckets at the end; a report decodes many at once and
    sums them by group; the percentiles of the sums are those of the durations themselves."""
    first, second, nothing = histogram.empty(), histogram.empty(), histogram.empty()
    for value in (minutes(5), minutes(5), minutes(90)):
        histogram.add(first, value)
    histogram.add(second, minutes(60 * 24 * 200))  # past the last edge: the overflow bucket
    stored = [histogram.encode(h) for h in (first, second, nothing)]
    assert stored[2] == b"" and len(stored[0]) < len(stored[1]) == histogram.BUCKETS * 4
    assert histogram.decode(stored).tolist() == [first, second, nothing]
    merged = [a + b for a, b in zip(first, second, strict=True)]
    assert histogram.percentile(merged, 0.5) == minutes(5)  # 2nd of 4
    assert histogram.percentile(merged, 0.75) == histogram.EDGES[histogram.bucket(minutes(90))]
    assert histogram.percentile(merged, 0.9) == histogram.EDGES[-1]
    rows = [("a", stored[0]), ("b", stored[1]), ("a", stored[1]), ("b", stored[2])]
    grouped = Grouped(rows, lambda row: row[0])
    assert grouped.groups == ["a", "b"]
    assert grouped.histograms(1).tolist() == [merged, second]
