"""What the Gmail benchmarks share: their own database (fresh schema, migrated to the heads),
the fake Google from tests/fakes, a tenant connected through the real consent flow, and
letters to deliver.

Settings: BENCH_DATABASE (helpdesk_bench_gmail), BENCH_REDIS_URL (redis://127.0.0.1:6379/12).
"""
import os
import subprocess
import sys
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# The benchmark empties its database and its Redis: never the tests' (TEST_* are replaced).
os.environ["TEST_DATABASE_NAME"] = os.environ.get("BENCH_DATABASE", "helpdesk_bench_gmail")
os.environ["TEST_REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # the fake's plain-http token address

import requests  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from app import create_app  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.extensions import db  # noqa: E402
from app.mailbox.models import Mailbox  # noqa: E402
from tenants import context  # noqa: E402
from tests.fakes.google_server import FakeGoogle  # noqa: E402

BOX = "support@bench.example"
KEY = Fernet.generate_key().decode()


def fresh_app(google: FakeGoogle):
    """The app on the benchmark's own database, emptied and migrated."""
    subprocess.run([str(ROOT / "scripts/test-services.sh")], check=True,
                   env=os.environ | {"SKIP_BROWSER": "1"}, stdout=subprocess.DEVNULL)
    app = create_app(TestConfig(**settings(google)))
    owner = create_engine(app.config["MIGRATION_DATABASE_URI"], poolclass=NullPool)
    with owner.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    owner.dispose()
    with app.app_context():
        upgrade(revision="heads")
    app.extensions["redis"].flushdb()
    return app


def settings(google) -> dict:
    """The app's settings for a fake Google (in this process, or at a ``RemoteFake``)."""
    return google.config() | {"ENCRYPTION_KEY": KEY, "GMAIL_BACKOFF_SECONDS": 0.01,
                              "RATELIMIT_ENABLED": False, "GMAIL_SYNC_QUERY": "in:inbox"}


def connected_tenant(app, google: FakeGoogle, slug: str = "bench-gmail",
                     box: str = BOX) -> tuple[int, int]:
    """A Pro tenant (every add-on, 500 tickets a day raised out of the way) with the fake
    mailbox connected through the consent flow; (tenant id, mailbox id)."""
    client = app.test_client()
    signup = client.post("/api/v1/signup", json={
        "company_name": "Bench Co", "slug": slug, "admin_name": "Ada",
        "admin_email": f"admin@{slug}.example", "password": "Correct-horse-42"})
    token = signup.get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/billing/plan", json={"plan": "pro"}, headers=headers)
    with app.app_context():
        db.session.execute(text("UPDATE plans SET tickets_per_day = 1000000"))
        db.session.commit()
    url = client.post("/api/v1/integrations/gmail", json={}, headers=headers).get_json()[
        "authorize_url"]
    back = google.consent(url, box) if isinstance(google, FakeGoogle) else \
        requests.get(url, allow_redirects=False, timeout=30).headers["Location"]
    assert client.get(back.removeprefix(app.config["BASE_URL"])).status_code == 302
    app.extensions["redis"].flushdb()  # the first sync is the benchmark's to run
    with app.app_context(), context.platform_connection(), context.platform_scope():
        row = db.session.scalar(select(Mailbox).where(Mailbox.email == box))
        ids = (row.tenant_id, row.id)
        db.session.commit()
    context.clear()
    return ids


def letter(n: int, box: str = BOX) -> bytes:
    message = EmailMessage()
    message["From"] = f"Customer {n} <customer{n % 500}@client.example>"
    message["To"] = box
    message["Subject"] = f"Question number {n} about my order"
    message["Date"] = formatdate()
    message["Message-ID"] = make_msgid(domain="client.example")
    message.set_content(f"Hello,\n\nmy order {n} has not arrived yet. Could you check?\n\n"
                        "Thanks,\nA customer\n\nOn Mon, 1 Jan 2024 Support wrote:\n> earlier")
    return bytes(message)


class RemoteFake:
    """The fake Google in a process of its own (fake_process.py), with ``count`` letters
    already delivered to ``account``; its consent page allows that account."""

    def __init__(self, account: str, count: int):
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "fake_process.py"), account,
             str(count)], stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()

    def config(self) -> dict:
        return FakeGoogle.config(self)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) process ``pid`` has used."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu(database: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving ``database`` now (by pid)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                title = cmdline.read().decode(errors="replace")
            if title.startswith("postgres: ") and f" {database} " in title:
                out[int(entry)] = process_cpu(int(entry))
        except OSError:
            continue
    return out
