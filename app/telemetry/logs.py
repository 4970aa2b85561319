"""Structured logs: one JSON object per line, with the request id, tenant and endpoint.

Every record carries ``time, level, logger, message, request_id, tenant``; the per-request
line (logger ``app.requests``) also ``endpoint, method, status, duration`` (seconds), and a
job's lines ``job``. Passed as ``extra={...}`` by the caller, any of the known fields lands
in the object too; an exception adds ``exc_info`` as text.
"""
import json
import logging
import sys
from datetime import UTC, datetime

from app.telemetry.context import current_request_id
from tenants.state import current_tenant_id

FIELDS = ("endpoint", "method", "status", "duration", "job", "path")
_HANDLER_NAME = "helpdesk-json"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, never a line break inside it."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "tenant": getattr(record, "tenant", None),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def _stamping(make_record):
    """A record factory that stamps the request id and tenant current when the record is
    made (a handler may format it later, or elsewhere, when the context is gone)."""

    def make(*args, **kwargs):
        record = make_record(*args, **kwargs)
        record.request_id = current_request_id()
        record.tenant = current_tenant_id()
        return record

    make.stamps_context = True
    return make


def configure(level: str = "INFO") -> None:
    """Send the root logger's records to stderr as JSON lines (once per process; a second
    app built in the same process changes nothing)."""
    # What the lines never show is not collected (the logging module's documented
    # optimizations): thread and process names, and the caller's file and line.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "stamps_context", False):
        logging.setLogRecordFactory(_stamping(factory))
    root = logging.getLogger()
    if any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
