"""One answered request: counted in the metrics and written as its log line (logger
``app.requests``: ``endpoint, method, status, duration``)."""
import logging

from app.telemetry import metrics

access_log = logging.getLogger("app.requests")


def answered(endpoint: str, method: str, status: int, seconds: float) -> None:
    metrics.observe_request(endpoint, method, status, seconds)
    access_log.info("%s %s %s", method, endpoint, status,
                    extra={"endpoint": endpoint, "method": method, "status": status,
                           "duration": round(seconds, 6)})
