"""Settings, paths and shared pieces of bench/api/create_ticket.py: the BENCH_* environment
settings (described in that script's docstring), the work folder under bench/.work/, the
roles' names, the ticket text every app receives, administrative connections to PostgreSQL,
and ``Target`` — one app under test with its gunicorn command, endpoint and results.
"""
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WORK = ROOT / "bench" / ".work"
LOGS = WORK / "logs"
VENV = WORK / "helpdesk-venv"
SITE = WORK / "helpdesk_site"

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "helpdesk_bench_api")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
COUNT = int(os.environ.get("BENCH_COUNT", "200"))
PORT = int(os.environ.get("BENCH_PORT", "8710"))
HELPDESK_VERSION = os.environ.get("BENCH_HELPDESK_VERSION", "2.6.1")
TICKETS_PER_DAY = int(os.environ.get("BENCH_TICKETS_PER_DAY", "1000000"))
PG_LOG = os.environ.get("BENCH_PG_LOG", "")

HOST = ADMIN_URL.split("@", 1)[1].rsplit("/", 1)[0]
OWNER, APP_ROLE, PLATFORM_ROLE, PEER_ROLE = (
    "helpdesk_bench_owner", "helpdesk_bench_app", "helpdesk_bench_platform", "helpdesk_bench_peer")
MONITOR = "bench-create-ticket"  # application_name of this script's own connections
WORKERS = 2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "START", "END", "PING")

SUBJECT = "Invoices do not print from the billing page (#@N@)"
BODY = ("Hello, since this morning the Print button on the billing page shows a spinner and "
        "nothing comes out of the office printer; other pages print fine. We tried Chrome and "
        "Firefox and restarted the printer. Could you have a look? Ticket @N@ of the run.")


def database_url(role: str, database: str, driver: str = "postgresql") -> str:
    return f"{driver}://{role}@{HOST}/{database}"


def admin(database: str = "postgres") -> psycopg.Connection:
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    return psycopg.connect(url, autocommit=True, application_name=MONITOR)


@dataclass
class Target:
    key: str
    title: str
    database: str
    port: int
    command: list[str]
    cwd: Path
    env: dict
    path: str
    table: str  # where its tickets land
    body: dict  # JSON with @N@ and @EMAIL@ placeholders
    headers: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    runs: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"
