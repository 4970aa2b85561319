"""Benchmark: creating a ticket through the REST API — this app against django-helpdesk
(the Python peer) and a bare Flask floor, under the same load on the same PostgreSQL server.

    .venv/bin/python bench/api/create_ticket.py [--keep]

Three apps, each under gunicorn with 2 sync workers on its own port, in turn get
the same wrk load (POST bodies with a new requester e-mail each time):

- ours: ``POST /api/v1/tickets`` of this app (``gunicorn wsgi:app``) with the three production
  roles (owner for migrations, application role, BYPASSRLS platform role) created for the run,
  migrated with ``flask --app wsgi db upgrade``; a tenant signed up with ``POST /api/v1/signup``
  (bearer token), moved to the Pro plan, whose daily quota is raised in this database to
  BENCH_TICKETS_PER_DAY so that no ticket is deferred (the summary prints how many were);
- django-helpdesk: ``POST /api/tickets/`` of the django-helpdesk release from PyPI
  (BENCH_HELPDESK_VERSION), installed into its own virtualenv under bench/.work/ with the
  gunicorn and psycopg versions this app uses, in a Django project generated there at run
  time: PostgreSQL, persistent connections (CONN_MAX_AGE=None), DRF token authentication,
  a staff user, one queue, teams mode off, DEBUG off, the dummy e-mail backend (it still
  renders the submitter's acknowledgement in the request; this app leaves its letters to a job);
- floor: bench/api/floor_app.py, one INSERT … RETURNING on an autocommit connection.

Load: ``wrk -t 1 -c BENCH_CONNECTIONS -d BENCH_DURATION`` after a 2 s warm-up, BENCH_RUNS runs
with the apps interleaved (run 1 of each, then run 2, …); medians are printed. Figures:

- tickets/s: responses per second counted by wrk; p99: wrk's latency percentile; failed
  responses (wrk's status and socket errors) are printed and make the run suspect.
- CPU ms/ticket: utime+stime deltas from /proc/<pid>/stat of the gunicorn master and its
  workers ("app"), and of the PostgreSQL client backends serving that app's database, found
  in pg_stat_activity before and after the run ("PostgreSQL"); divided by the tickets the run
  added to the app's ticket table (counted with SQL, after in-flight requests have finished).
  PostgreSQL's shared background processes (WAL writer, checkpointer), Redis and wrk are
  not attributed; connections are persistent in all three apps, so no backend's CPU is lost.
- SQL statements, transactions and rows per ticket come from a separate, untimed pass of
  BENCH_COUNT sequential requests per app (after a 2 s wrk warm-up) with ``log_statement =
  'all'`` set on that app's database only (ALTER DATABASE, reset afterwards): the statements
  are the server log's ``statement:``/``execute`` lines for that database (the log is read
  from /var/log/postgresql/postgresql-<version>-main.log, or BENCH_PG_LOG), counted without
  BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE and the empty statement SQLAlchemy's pool sends to
  check a connection, which are shown apart (pg_stat_statements would need a server restart
  for shared_preload_libraries, so it is not used). Transactions are the
  database's pg_stat_database xact_commit + xact_rollback delta, rows its tup_inserted delta,
  read after the servers have stopped so every backend has published its counters.

Settings (environment): BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
BENCH_DATABASE (helpdesk_bench_api; the peers use <name>_django and <name>_floor),
BENCH_REDIS_URL (redis://127.0.0.1:6379/14, flushed at the end), BENCH_DURATION (10 s),
BENCH_CONNECTIONS (4), BENCH_RUNS (3), BENCH_COUNT (200), BENCH_PORT (8710: ours, +1
django-helpdesk, +2 floor), BENCH_HELPDESK_VERSION (2.6.1), BENCH_TICKETS_PER_DAY (1000000),
BENCH_PG_LOG. Roles helpdesk_bench_{owner,app,platform,peer} are created for the run; the
databases, roles and the Redis database are dropped at the end unless --keep. Needs wrk
(installed with apt-get when missing) and takes a few minutes.
"""
import argparse
import http.client
import importlib.metadata
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

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


# --- processes and CPU -------------------------------------------------------------------

def proc_stat(pid: int) -> list[str] | None:
    """Fields 3… of /proc/<pid>/stat (after the command name), or None if it has exited."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return data[data.rindex(")") + 2:].split()


def cpu_ticks(pids) -> dict[int, int]:
    out = {}
    for pid in pids:
        fields = proc_stat(pid)
        if fields is not None:
            out[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    return out


def process_tree(pid: int) -> list[int]:
    """``pid`` and its children (the gunicorn master and workers)."""
    pids = [pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = proc_stat(int(entry))
            if fields is not None and int(fields[1]) == pid:
                pids.append(int(entry))
    return pids


def backend_pids(monitor: psycopg.Connection, database: str) -> list[int]:
    return [row[0] for row in monitor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"
        " AND application_name <> %s", (database, MONITOR))]


def cpu_sample(monitor, target: Target) -> dict:
    return {"app": cpu_ticks(process_tree(target.process.pid)),
            "db": cpu_ticks(backend_pids(monitor, target.database))}


def cpu_ms(before: dict[int, int], after: dict[int, int]) -> tuple[float, int]:
    """CPU milliseconds used between two samples, and how many processes exited between them
    (their last CPU is unknown)."""
    ticks = sum(value - before.get(pid, 0) for pid, value in after.items())
    return ticks * 1000 / CLOCK_TICKS, sum(1 for pid in before if pid not in after)


# --- servers -------------------------------------------------------------------------------

def start(target: Target) -> None:
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{target.key}.log", "a") as log:
        target.process = subprocess.Popen(target.command, cwd=target.cwd, env=target.env,
                                          stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if target.process.poll() is not None:
            raise SystemExit(f"{target.title} did not start:\n{log_tail(target)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{target.title} did not answer on port {target.port}:\n{log_tail(target)}")


def stop(target: Target, monitor=None) -> None:
    process, target.process = target.process, None
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    deadline = time.monotonic() + 15
    while monitor is not None and backend_pids(monitor, target.database):
        if time.monotonic() > deadline:
            print(f"warning: {target.title}'s database connections are still open")
            break
        time.sleep(0.2)


def log_tail(target: Target, lines: int = 30) -> str:
    path = LOGS / f"{target.key}.log"
    return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else ""


def request(target: Target, method: str, path: str, body: dict | None = None,
            headers: dict | None = None) -> tuple[int, dict | str]:
    conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
    payload = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, payload, {"Content-Type": "application/json",
                                         "Accept": "application/json", **(headers or {})})
    response = conn.getresponse()
    raw = response.read().decode()
    conn.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, raw


def ticket_body(target: Target, tag: str, n: int) -> dict:
    text = (json.dumps(target.body).replace("@N@", str(n))
            .replace("@EMAIL@", f"{target.key}-{tag}-{n}@customers.example"))
    return json.loads(text)


def post_ticket(target: Target, tag: str, n: int) -> None:
    status, answer = request(target, "POST", target.path, ticket_body(target, tag, n),
                             target.headers)
    if status != 201:
        raise SystemExit(f"{target.title}: POST {target.path} answered {status}: {answer}\n"
                         f"{log_tail(target)}")


# --- wrk -----------------------------------------------------------------------------------

LUA = """-- generated by bench/api/create_ticket.py
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
%(headers)s
local template = [==[%(template)s]==]
local n = 0
request = function()
  n = n + 1
  local email = "%(prefix)s-" .. n .. "@customers.example"
  local body = (template:gsub("@N@", tostring(n)):gsub("@EMAIL@", email))
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99))))
end
"""


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("installing wrk (apt-get) …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env,
                      capture_output=True).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True,
                       capture_output=True)


def wrk(target: Target, seconds: int, tag: str) -> dict:
    headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in target.headers.items())
    script = WORK / f"{target.key}.lua"
    script.write_text(LUA % {"headers": headers, "template": json.dumps(target.body),
                             "prefix": f"{target.key}-{tag}"})
    result = subprocess.run(
        ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "30s",
         "-s", str(script), target.url], capture_output=True, text=True, timeout=seconds + 120)
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON "):])
    raise SystemExit(f"wrk gave no summary:\n{result.stdout}\n{result.stderr}")


# --- PostgreSQL ----------------------------------------------------------------------------

def create_databases() -> None:
    with admin() as conn:
        for role, extra in ((OWNER, ""), (APP_ROLE, ""), (PLATFORM_ROLE, " BYPASSRLS"),
                            (PEER_ROLE, "")):
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(f'CREATE ROLE "{role}" LOGIN{extra}')
        for name, owner in ((DATABASE, OWNER), (f"{DATABASE}_django", PEER_ROLE),
                            (f"{DATABASE}_floor", PEER_ROLE)):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')


def drop_databases() -> None:
    with admin() as conn:
        for name in (DATABASE, f"{DATABASE}_django", f"{DATABASE}_floor"):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in (OWNER, APP_ROLE, PLATFORM_ROLE, PEER_ROLE):
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def set_log_statement(database: str, on: bool) -> None:
    with admin() as conn:
        if on:
            conn.execute(f"ALTER DATABASE \"{database}\" SET log_statement = 'all'")
        else:
            conn.execute(f'ALTER DATABASE "{database}" RESET log_statement')


def server_log(monitor: psycopg.Connection) -> Path | None:
    if PG_LOG:
        return Path(PG_LOG)
    current = monitor.execute("SELECT pg_current_logfile()").fetchone()[0]
    if current:
        data_dir = monitor.execute("SHOW data_directory").fetchone()[0]
        return Path(data_dir) / current
    version = monitor.execute("SHOW server_version_num").fetchone()[0][:2]
    path = Path(f"/var/log/postgresql/postgresql-{version}-main.log")
    return path if path.exists() else None


STATEMENT = re.compile(r"^(?P<prefix>.*?)LOG:\s+(?:statement|execute [^:]*): (?P<sql>.*)$")


def count_statements(log: Path, offset: int, database: str, by_database: bool) -> dict:
    """Statements the server logged for ``database`` from ``offset`` on, by first keyword
    (``PING`` for the empty statement a connection pool sends to check a connection)."""
    with open(log, "rb") as fh:
        fh.seek(offset)
        lines = fh.read().decode(errors="replace").splitlines()
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        match = STATEMENT.match(line)
        if match is None or (by_database and f"@{database} " not in match["prefix"] + " "):
            continue
        sql = match["sql"].strip()
        for following in lines[i + 1:i + 20]:  # a statement's first line may be empty
            if sql or not following.startswith("\t"):
                break
            sql = following.strip()
        word = sql.lstrip("(").split(None, 1)[0].upper() if sql.strip(";") else "PING"
        counts[word] = counts.get(word, 0) + 1
    return counts


def database_stats(monitor: psycopg.Connection, database: str) -> dict:
    monitor.execute("SELECT pg_stat_clear_snapshot()")
    row = monitor.execute(
        "SELECT xact_commit + xact_rollback, tup_inserted FROM pg_stat_database"
        " WHERE datname = %s", (database,)).fetchone()
    return {"xacts": row[0], "inserted": row[1]}


def count_rows(connection: psycopg.Connection, table: str) -> int:
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- the three apps ------------------------------------------------------------------------

def gunicorn_args(port: int) -> list[str]:
    return ["-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--timeout", "60"]


def ours() -> Target:
    env = {**os.environ,
           "DATABASE_URL": database_url(APP_ROLE, DATABASE),
           "MIGRATION_DATABASE_URL": database_url(OWNER, DATABASE),
           "PLATFORM_DATABASE_URL": database_url(PLATFORM_ROLE, DATABASE),
           "SECRET_KEY": secrets.token_hex(32), "REDIS_URL": REDIS_URL,
           "SIGNUP_RATE_LIMIT": "1000 per hour"}
    upgrade = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db", "upgrade"],
                             cwd=ROOT, env=env, capture_output=True, text=True)
    if upgrade.returncode:
        raise SystemExit(f"flask db upgrade failed:\n{upgrade.stdout}\n{upgrade.stderr}")
    return Target(
        key="ours", title="ours", database=DATABASE, port=PORT,
        command=[str(ROOT / ".venv/bin/gunicorn"), *gunicorn_args(PORT), "wsgi:app"],
        cwd=ROOT, env=env, path="/api/v1/tickets", table="tickets",
        body={"subject": SUBJECT, "body": BODY,
              "requester": {"email": "@EMAIL@", "name": "Customer @N@"}})


def sign_up(target: Target) -> None:
    """A tenant with a bearer token, on the Pro plan with its quota raised for the run."""
    status, answer = request(target, "POST", "/api/v1/signup", {
        "company_name": "Bench Printing Ltd", "slug": "bench", "admin_name": "Bench Admin",
        "admin_email": "admin@bench.example", "password": secrets.token_urlsafe(18)})
    if status != 201:
        raise SystemExit(f"signup answered {status}: {answer}")
    target.headers = {"Authorization": f"Bearer {answer['token']}"}
    with admin(DATABASE) as conn:
        conn.execute("UPDATE plans SET tickets_per_day = %s WHERE name = 'pro'",
                     (TICKETS_PER_DAY,))
        conn.execute("UPDATE tenants SET plan = 'pro' WHERE slug = 'bench'")


def helpdesk_venv() -> str:
    """The virtualenv with django-helpdesk (and this app's gunicorn and psycopg versions)."""
    wanted = {"django-helpdesk": HELPDESK_VERSION,
              "gunicorn": importlib.metadata.version("gunicorn"),
              "psycopg": importlib.metadata.version("psycopg")}
    python = VENV / "bin" / "python"
    probe = ("import importlib.metadata as m, json; print(json.dumps({n: m.version(n) for n in "
             f"{list(wanted)!r}}}))")
    if python.exists():
        found = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
        if found.returncode == 0 and json.loads(found.stdout) == wanted:
            return str(python)
    print(f"installing django-helpdesk {HELPDESK_VERSION} into {VENV.relative_to(ROOT)} …")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / "pip.log", "w") as log:
        result = subprocess.run(
            [str(python), "-m", "pip", "install", f"django-helpdesk=={wanted['django-helpdesk']}",
             f"gunicorn=={wanted['gunicorn']}", f"psycopg[binary]=={wanted['psycopg']}"],
            stdout=log, stderr=subprocess.STDOUT)
    if result.returncode:
        raise SystemExit(f"pip install failed, see {LOGS / 'pip.log'}")
    return str(python)


DJANGO_SETTINGS = '''"""django-helpdesk peer settings, generated by bench/api/create_ticket.py."""
SECRET_KEY = %(secret)r
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "django.contrib.humanize",
    "rest_framework", "rest_framework.authtoken", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "benchsite.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages"]},
}]
WSGI_APPLICATION = "benchsite.wsgi.application"
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": %(name)r, "USER": %(user)r,
    "HOST": %(host)r, "PORT": %(port)r, "CONN_MAX_AGE": None,
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
SITE_ID = 1
STATIC_URL = "/static/"
MEDIA_ROOT = %(media)r
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGIN_URL = "/login/"
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [
    "rest_framework.authentication.TokenAuthentication"]}
HELPDESK_API_ENABLED = True
HELPDESK_ACTIVATE_API_ENDPOINT = True  # the name older releases read
HELPDESK_TEAMS_MODE_ENABLED = False
'''

DJANGO_URLS = '''from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
'''

DJANGO_WSGI = '''import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
application = get_wsgi_application()
'''

DJANGO_SETUP = '''import json
import django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue
user = get_user_model().objects.create_superuser("bench", "agent@bench.example", %(password)r)
queue = Queue.objects.create(title="Support", slug="support")
print(json.dumps({"token": Token.objects.create(user=user).key, "queue": queue.id}))
'''


def django_helpdesk() -> Target:
    python = helpdesk_venv()
    database = f"{DATABASE}_django"
    host, _, port = HOST.partition(":")
    package = SITE / "benchsite"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(DJANGO_SETTINGS % {
        "secret": secrets.token_hex(32), "name": database, "user": PEER_ROLE, "host": host,
        "port": port or "5432", "media": str(WORK / "helpdesk_media")})
    (package / "urls.py").write_text(DJANGO_URLS)
    (package / "wsgi.py").write_text(DJANGO_WSGI)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchsite.settings",
           "PYTHONPATH": str(SITE)}
    migrate = subprocess.run([python, "-m", "django", "migrate", "--noinput"], cwd=SITE, env=env,
                             capture_output=True, text=True)
    if migrate.returncode:
        raise SystemExit(f"django-helpdesk migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
    setup = subprocess.run([python, "-c", DJANGO_SETUP % {"password": secrets.token_urlsafe(18)}],
                           cwd=SITE, env=env, capture_output=True, text=True)
    if setup.returncode:
        raise SystemExit(f"django-helpdesk setup failed:\n{setup.stderr}")
    made = json.loads(setup.stdout.strip().splitlines()[-1])
    return Target(
        key="django", title="django-helpdesk", database=database, port=PORT + 1,
        command=[str(VENV / "bin/gunicorn"), *gunicorn_args(PORT + 1),
                 "benchsite.wsgi:application"],
        cwd=SITE, env=env, path="/api/tickets/", table="helpdesk_ticket",
        headers={"Authorization": f"Token {made['token']}"},
        body={"queue": made["queue"], "title": SUBJECT, "description": BODY,
              "submitter_email": "@EMAIL@", "priority": 3})


def floor() -> Target:
    database = f"{DATABASE}_floor"
    url = database_url(PEER_ROLE, database)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("""CREATE TABLE tickets (
            id bigserial PRIMARY KEY, subject text NOT NULL, body text NOT NULL,
            requester_email text NOT NULL, requester_name text,
            created_at timestamptz NOT NULL DEFAULT now())""")
    return Target(
        key="floor", title="floor", database=database, port=PORT + 2,
        command=[str(ROOT / ".venv/bin/gunicorn"), *gunicorn_args(PORT + 2), "floor_app:app"],
        cwd=HERE, env={**os.environ, "FLOOR_DATABASE_URL": url}, path="/tickets",
        table="tickets",
        body={"subject": SUBJECT, "body": BODY,
              "requester": {"email": "@EMAIL@", "name": "Customer @N@"}})


# --- the passes ----------------------------------------------------------------------------

def counting_pass(target: Target, monitor, log: Path | None, by_database: bool) -> None:
    """Untimed: statements, transactions and inserted rows per ticket over COUNT requests."""
    set_log_statement(target.database, True)
    try:
        start(target)
        if target.key == "ours":
            sign_up(target)
        post_ticket(target, "first", 0)
        wrk(target, 2, "count-warm-up")  # concurrent, so that every worker has connected
        time.sleep(11)  # an idle backend publishes its counters within 10 s
        before = database_stats(monitor, target.database)
        offset = log.stat().st_size if log else 0
        for n in range(COUNT):
            post_ticket(target, "count", n)
        stop(target, monitor)  # the backends exit and publish their counters
        after = database_stats(monitor, target.database)
    finally:
        stop(target, monitor)
        set_log_statement(target.database, False)
    statements = count_statements(log, offset, target.database, by_database) if log else {}
    target.counts = {
        "xacts": (after["xacts"] - before["xacts"]) / COUNT,
        "inserted": (after["inserted"] - before["inserted"]) / COUNT,
        "statements": ({k: v / COUNT for k, v in statements.items()} if statements else None),
    }


def timed_run(target: Target, monitor, rows_conn, tag: str) -> dict:
    rows_before = count_rows(rows_conn, target.table)
    cpu_before = cpu_sample(monitor, target)
    result = wrk(target, DURATION, tag)
    time.sleep(1)  # let the requests wrk left in flight finish
    cpu_after = cpu_sample(monitor, target)
    tickets = count_rows(rows_conn, target.table) - rows_before
    app_ms, app_lost = cpu_ms(cpu_before["app"], cpu_after["app"])
    db_ms, db_lost = cpu_ms(cpu_before["db"], cpu_after["db"])
    failed = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    run = {"rps": result["requests"] / (result["duration_us"] / 1e6),
           "p50": result["p50_us"] / 1000, "p99": result["p99_us"] / 1000,
           "tickets": tickets, "failed": failed,
           "app_cpu": app_ms / max(tickets, 1), "db_cpu": db_ms / max(tickets, 1)}
    run["cpu"] = run["app_cpu"] + run["db_cpu"]
    note = f", {failed} failed" if failed else ""
    if app_lost or db_lost:
        note += f", {app_lost + db_lost} processes exited (their CPU is missing)"
    print(f"  {tag} {target.title:<16} {run['rps']:7.1f} tickets/s  p50 {run['p50']:6.1f} ms"
          f"  p99 {run['p99']:6.1f} ms  CPU {run['app_cpu']:5.1f} + {run['db_cpu']:4.1f} ms/ticket"
          f"  ({tickets} tickets{note})")
    target.runs.append(run)
    return run


def median(target: Target, key: str) -> float:
    return statistics.median(run[key] for run in target.runs)


def report(targets: list[Target]) -> None:
    def statements(t: Target) -> float | None:
        s = t.counts.get("statements")
        return None if s is None else sum(v for k, v in s.items() if k not in CONTROL)

    rows = [
        ("tickets/s (median)", lambda t: median(t, "rps"), "{:.1f}"),
        ("p99 latency, ms", lambda t: median(t, "p99"), "{:.1f}"),
        ("CPU ms/ticket: gunicorn", lambda t: median(t, "app_cpu"), "{:.2f}"),
        ("CPU ms/ticket: PostgreSQL", lambda t: median(t, "db_cpu"), "{:.2f}"),
        ("CPU ms/ticket: total", lambda t: median(t, "cpu"), "{:.2f}"),
        ("SQL statements/ticket", statements, "{:.1f}"),
        ("transactions/ticket", lambda t: t.counts["xacts"], "{:.1f}"),
        ("rows inserted/ticket", lambda t: t.counts["inserted"], "{:.1f}"),
    ]
    head = (f"{'':<27}{'ours':>10}{'django-helpdesk':>17}{'floor':>9}"
            f"{'ours/dj-helpdesk':>18}{'ours/floor':>12}")
    print()
    print(f"POST a ticket, gunicorn {WORKERS} sync workers each, wrk {CONNECTIONS} connections, "
          f"{DURATION} s x {RUNS} runs (medians); counts over {COUNT} requests")
    print(head)
    print("-" * len(head))
    for label, get, fmt in rows:
        values = [get(t) for t in targets]
        cells = [fmt.format(v) if v is not None else "n/a" for v in values]
        ratios = [f"{values[0] / v:.2f}" if values[0] is not None and v else "n/a"
                  for v in (values[1], values[2])]
        print(f"{label:<27}{cells[0]:>10}{cells[1]:>17}{cells[2]:>9}{ratios[0]:>18}"
              f"{ratios[1]:>12}")
    print()
    for t in targets:
        s = t.counts.get("statements")
        if s:
            parts = ", ".join(f"{k} {v:.1f}" for k, v in sorted(s.items(), key=lambda i: -i[1])
                              if k not in CONTROL)
            control = sum(v for k, v in s.items() if k in CONTROL)
            print(f"{t.title}: statements per ticket: {parts}; not counted above: "
                  f"BEGIN/COMMIT/SAVEPOINT/RELEASE and pool pings {control:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases, roles and the Redis database")
    args = parser.parse_args()

    ensure_wrk()
    WORK.mkdir(parents=True, exist_ok=True)
    targets: list[Target] = []
    monitor = admin()
    rows_conns: list[psycopg.Connection] = []
    try:
        log = server_log(monitor)
        prefix = monitor.execute("SHOW log_line_prefix").fetchone()[0]
        by_database = "%d" in prefix
        if log is None or not os.access(log, os.R_OK):
            print("warning: the server log is not readable; statements are not counted")
            log = None
        version = monitor.execute("SHOW server_version").fetchone()[0]
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"PostgreSQL {version}, {os.cpu_count()} CPUs, load average {load}; "
              f"django-helpdesk {HELPDESK_VERSION}, gunicorn "
              f"{importlib.metadata.version('gunicorn')}")

        create_databases()
        targets = [ours(), django_helpdesk(), floor()]
        print(f"counting statements over {COUNT} requests per app …")
        for target in targets:
            counting_pass(target, monitor, log, by_database)

        for target in targets:
            start(target)
            wrk(target, 2, "warm-up")
            rows_conns.append(admin(target.database))
        print(f"timed runs: {RUNS} x {DURATION} s, {CONNECTIONS} connections")
        for number in range(1, RUNS + 1):
            for target, rows_conn in zip(targets, rows_conns, strict=True):
                timed_run(target, monitor, rows_conn, f"run{number}")
        total, deferred = rows_conns[0].execute(
            "SELECT count(*), count(*) FILTER (WHERE deferred) FROM tickets").fetchone()
        report(targets)
        print(f"ours: {total} tickets created on the Pro plan (daily quota raised to "
              f"{TICKETS_PER_DAY} for the run), {deferred} deferred; "
              f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        for target in targets:
            stop(target)
        for conn in rows_conns:
            conn.close()
        monitor.close()
        if args.keep:
            print(f"kept databases {DATABASE}, {DATABASE}_django, {DATABASE}_floor")
        else:
            drop_databases()
            redis.Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    main()
