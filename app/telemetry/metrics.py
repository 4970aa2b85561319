"""Prometheus metrics: what every request and every new ticket adds, and what is read at
scrape time (queue depths, failed jobs, Gmail sync lag — sources an area registers).

Counters and the latency histogram live in this process; under gunicorn with several
workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, before start-up) and each
worker writes its values there, and ``GET /metrics`` adds them up
(prometheus-client's multiprocess mode). Without it the process's own registry is served.

Scrape-time values are gauges computed when ``/metrics`` is read, by sources registered per
app with ``add_gauge`` — e.g. the mailbox area registers the Gmail sync lag:

    telemetry.metrics.add_gauge(app, "helpdesk_gmail_sync_lag_seconds",
                                "Seconds since each connected mailbox last synced",
                                ("tenant",), lambda: [({"tenant": "acme"}, 42.0), ...])

A source runs on the platform connection in platform scope (it may read every tenant).
"""
import logging
import os
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

# Latency buckets for a help desk's pages and API calls (seconds).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("helpdesk_http_requests", "HTTP requests by endpoint, method and status",
                   ("endpoint", "method", "status"))
LATENCY = Histogram("helpdesk_http_request_duration_seconds",
                    "Time to answer a request, by endpoint and status", ("endpoint", "status"),
                    buckets=BUCKETS)
TICKETS = Counter("helpdesk_tickets_received",
                  "New tickets stored, by channel (widget intake: channel=\"widget\")",
                  ("channel",))


# (endpoint, method, status) -> the two labelled children: ``labels()`` takes a lock and
# builds its key on every call; the set of endpoints is small and fixed, so keep them.
_children: dict[tuple, tuple] = {}


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request. ``endpoint`` is the Flask endpoint name (or
    ``unmatched``), never the raw path, so the label set stays small."""
    key = (endpoint, method, status)
    children = _children.get(key)
    if children is None:
        code = str(status)
        children = _children[key] = (REQUESTS.labels(endpoint, method, code),
                                     LATENCY.labels(endpoint, code))
    children[0].inc()
    children[1].observe(seconds)


def ticket_received(channel: str) -> None:
    TICKETS.labels(channel).inc()


@dataclass(frozen=True)
class GaugeSource:
    name: str
    documentation: str
    labels: tuple[str, ...]
    read: object  # () -> iterable of (labels dict, value)


def add_gauge(app, name: str, documentation: str, labels, read) -> None:
    """Register a gauge computed at scrape time by ``read()`` (per app: two apps in one
    process keep their own sources). ``read`` returns ``[(labels, value), …]``."""
    sources = app.extensions.setdefault("metric_gauges", {})
    sources[name] = GaugeSource(name, documentation, tuple(labels), read)


class _ScrapeTimeCollector:
    """The registered gauge sources, read now. A failing source is logged and left out:
    one broken reading must not take the whole scrape down."""

    def __init__(self, sources):
        self.sources = sources

    def collect(self):
        for source in self.sources:
            family = GaugeMetricFamily(source.name, source.documentation,
                                       labels=source.labels)
            try:
                for labels, value in source.read():
                    family.add_metric([str(labels.get(k, "")) for k in source.labels],
                                      float(value))
            except Exception:  # a source's store is down: report the rest
                log.exception("metric source %s failed", source.name)
                continue
            yield family


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def render(app) -> tuple[bytes, str]:
    """The exposition text: this process's (or all workers') metrics, then the scrape-time
    gauges."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(_ScrapeTimeCollector(app.extensions.get("metric_gauges", {}).values()))
    return counted + generate_latest(scraped), CONTENT_TYPE_LATEST
