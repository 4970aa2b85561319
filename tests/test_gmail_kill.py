"""A worker killed with SIGKILL in the middle of a sync, then run again: every message is
imported once — nothing lost, nothing twice (committed data, a real second process)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mailbox.jobs import lock_key
from app.mailbox.models import LogEntry, Mailbox
from app.tickets.models import Ticket
from tenants import context
from tests.conftest import remove_tenant
from tests.gmail_support import KEY, connect, fake_google, letter, with_gmail_addon

pytestmark = pytest.mark.real_commits
ROOT = Path(__file__).resolve().parents[1]
BOX = "support@shop.example"
MESSAGES = 120

@pytest.fixture
def google(app, monkeypatch):
    yield from fake_google(app, monkeypatch)



def _counts(app, tenant_id: int) -> tuple[int, int, int]:
    with app.app_context(), context.tenant_scope(tenant_id):
        counts = (db.session.scalar(select(func.count()).select_from(LogEntry)),
                  db.session.scalar(select(func.count()).select_from(Ticket)),
                  db.session.scalar(select(func.count(func.distinct(Ticket.subject)))))
        db.session.commit()
    context.clear()
    return counts


def _worker(tenant_id: int, mailbox_id: int, google) -> subprocess.Popen:
    settings = google.config() | {"ENCRYPTION_KEY": KEY, "GMAIL_BACKOFF_SECONDS": 0.001}
    return subprocess.Popen([sys.executable, "tests/gmail_worker.py", str(tenant_id),
                             str(mailbox_id), json.dumps(settings)], cwd=ROOT,
                            env=os.environ | {"PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_sigkill_mid_sync_then_rerun_loses_and_duplicates_nothing(app, client, signup,
                                                                  google):
    api, body = signup()
    tenant_id = None
    try:
        with_gmail_addon(api)
        connect(app, client, api, google, sync=False)
        with app.app_context(), context.platform_connection(), context.platform_scope():
            box = db.session.scalar(select(Mailbox).where(Mailbox.email == BOX))
            tenant_id, mailbox_id = box.tenant_id, box.id
            db.session.commit()
        context.clear()
        for n in range(MESSAGES):
            google.deliver(BOX, letter(subject=f"Message {n}", sender=f"c{n}@client.example"))
        google.batch_delay = 0.3  # a batch of 50 takes a while: the kill lands mid-sync
        worker = _worker(tenant_id, mailbox_id, google)
        deadline = time.monotonic() + 60
        while _counts(app, tenant_id)[0] < 10 and time.monotonic() < deadline \
                and worker.poll() is None:
            time.sleep(0.05)
        assert worker.poll() is None, worker.communicate()[1].decode()[-3000:]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        logged, tickets, distinct = _counts(app, tenant_id)
        assert 10 <= logged < MESSAGES, "the kill did not land mid-sync"
        assert logged == tickets == distinct  # each committed message whole, none half
        redis = app.extensions["redis"]
        assert 0 < redis.ttl(lock_key(mailbox_id)) <= 300  # the dead worker's lock lapses…
        redis.delete(lock_key(mailbox_id))  # …as it will by itself
        google.batch_delay = 0
        rerun = _worker(tenant_id, mailbox_id, google)
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err.decode()[-2000:]
        assert _counts(app, tenant_id) == (MESSAGES, MESSAGES, MESSAGES)
    finally:
        context.clear()
        if tenant_id is not None:
            remove_tenant(app, tenant_id)
