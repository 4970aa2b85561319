"""The apps of bench/api/create_ticket.py under gunicorn: their databases and roles (created
and dropped for the run), starting and stopping each server, requests to it, and the
``Target`` of this help desk (migrated, with a tenant signed up on the Pro plan) and of the
floor (bench/api/floor_app.py with its one table). django-helpdesk's is in django_site.py.
"""
import http.client
import json
import os
import secrets
import signal
import subprocess
import time

import psycopg
from common import (
    APP_ROLE,
    BODY,
    DATABASE,
    HERE,
    LOGS,
    OWNER,
    PEER_ROLE,
    PLATFORM_ROLE,
    PORT,
    REDIS_URL,
    ROOT,
    SUBJECT,
    TICKETS_PER_DAY,
    WORKERS,
    Target,
    admin,
    database_url,
)
from measure import backend_pids

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


# --- databases and roles ---------------------------------------------------------------

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
            try:
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            except psycopg.errors.DependentObjectsStillExist:
                pass  # another benchmark's database still uses the role: it drops it later


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
    upgrade = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db",
                              "upgrade", "heads"],
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
