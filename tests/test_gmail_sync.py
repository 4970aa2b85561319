"""Sync: full, incremental, history expiry, Google's 429/5xx, a dead token in one tenant
while another syncs, every threading rule and every skip rule, the stop list, retries."""
import pytest
from rq import Queue
from sqlalchemy import select

from app.extensions import db
from app.mailbox import access
from app.mailbox.jobs import schedule_syncs
from app.mailbox.models import Mailbox
from tests.gmail_support import (
    connect,
    fake_google,
    letter,
    log_of,
    mailbox_of,
    run_jobs,
    sync_now,
    tenant_of,
    tickets_of,
    with_gmail_addon,
)
from tests.test_gmail_mime import _stdlib_corpus

BOX = "support@shop.example"

@pytest.fixture
def google(app, monkeypatch):
    yield from fake_google(app, monkeypatch)



def _ready(app, client, api, google, email=BOX):
    with_gmail_addon(api)
    connect(app, client, api, google, email)


def test_full_then_incremental_then_expired_history_imports_each_message_once(
        app, client, tenant_a, google):
    for n in range(7):
        google.deliver(BOX, letter(subject=f"Old {n}", sender=f"c{n}@client.example"))
    _ready(app, client, tenant_a, google)
    assert [t.subject for t in tickets_of(app, tenant_a)] == [f"Old {n}" for n in range(7)]
    first = mailbox_of(app, tenant_a)
    assert first["history_id"] and first["full_sync_history_id"] is None
    google.deliver(BOX, letter(subject="New 1", sender="n1@client.example"))
    google.deliver(BOX, letter(subject="New 2", sender="n2@client.example"))
    calls = len(google.calls)
    result = sync_now(app, tenant_a)
    assert result["mode"] == "incremental" and result["imported"] == 2
    assert "GET /gmail/v1/users/me/messages" not in google.calls[calls:]  # history only
    assert sync_now(app, tenant_a)["imported"] == 0  # nothing new
    google.deliver(BOX, letter(subject="After expiry", sender="n3@client.example"))
    google.expire_history(BOX)
    result = sync_now(app, tenant_a)
    assert result["mode"] == "full" and result["imported"] == 1
    subjects = [t.subject for t in tickets_of(app, tenant_a)]
    assert len(subjects) == 10 == len(set(subjects))
    assert len(log_of(app, tenant_a)) == 10


def test_google_busy_backs_off_and_resumes_where_it_stopped(app, client, tenant_a, google):
    _ready(app, client, tenant_a, google)
    for n in range(3):
        google.deliver(BOX, letter(subject=f"Busy {n}", sender=f"b{n}@client.example"))
    google.fail_next(429, 3)  # more than one sync's tries
    assert sync_now(app, tenant_a)["outcome"] == "retry_later"
    box = mailbox_of(app, tenant_a)
    assert box["retry_after"] and box["failures"] == 1 and "429" in box["last_error"]
    with app.app_context():
        assert schedule_syncs() == 0  # told to wait
    google.failing_ids = {google.accounts[BOX].order[-1]}  # one message answers 500
    assert sync_now(app, tenant_a)["outcome"] == "retry_later"  # incomplete: position kept
    assert len(tickets_of(app, tenant_a)) == 2
    google.failing_ids = set()
    result = sync_now(app, tenant_a)
    assert result["outcome"] == "ok" and result["imported"] == 1
    assert len(tickets_of(app, tenant_a)) == 3 and mailbox_of(app, tenant_a)["failures"] == 0


def test_a_dead_token_stops_only_its_own_mailbox(app, client, signup, google):
    api_a, body_a = signup()
    api_b, _ = signup()
    _ready(app, client, api_a, google, "a@shop.example")
    _ready(app, client, api_b, google, "b@shop.example")
    google.deliver("a@shop.example", letter(subject="For A"))
    google.deliver("b@shop.example", letter(subject="For B"))
    google.kill_tokens("a@shop.example")
    access._ACCESS.clear()  # a new worker: no access token kept
    with app.app_context():
        assert schedule_syncs() == 2
    run_jobs(app, "default")
    assert mailbox_of(app, api_a)["status"] == "needs_reconnect"
    assert [t.subject for t in tickets_of(app, api_a)] == []
    assert [t.subject for t in tickets_of(app, api_b)] == ["For B"]
    letters = Queue("mail", connection=app.extensions["redis"]).jobs
    assert any("Reconnect" in str(job.args) for job in letters)
    assert api_a.get("/integrations/gmail").get_json()["status"] == "needs_reconnect"
    with app.app_context():
        assert schedule_syncs() == 1  # only B's
    events = api_a.get("/events?action=gmail.needs_reconnect").get_json()["items"]
    assert events
    slug = body_a["tenant"]["slug"]  # the admins see a banner on every page
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": "Correct-horse-42"})
    page = client.get("/app/").get_data(as_text=True)
    assert "no longer accepts the help desk's access to a@shop.example" in page


def test_threading_by_thread_references_and_subject_token(app, client, tenant_a, google):
    _ready(app, client, tenant_a, google)
    first = letter(subject="Broken screen", message_id="<first@client.example>")
    gmail_id = google.deliver(BOX, first)
    sync_now(app, tenant_a)
    google.deliver(BOX, letter(subject="Re: Broken screen", body="Still broken."),
                   thread_id=google.thread_of(BOX, gmail_id))
    google.deliver(BOX, letter(subject="Another", body="cites the first",
                               headers={"In-Reply-To": "<first@client.example>"}))
    google.deliver(BOX, letter(subject="Re: [#1] anything", body="by the token"))
    google.deliver(BOX, letter(subject="Re: [#1] from a stranger", body="stranger",
                               sender="eve@evil.example"))
    google.deliver(BOX, letter(subject="Letter", body="cites our receipt",
                               headers={"References": "<ticket-1.tenant-"
                                        f"{mailbox_of(app, tenant_a)['tenant_id']}"
                                        ".receipt.ab12@localhost>"}))
    sync_now(app, tenant_a)
    entries = log_of(app, tenant_a)
    rules = [e.reason.split(";")[0] for e in entries]
    assert rules == ["new", "thread", "references", "subject_token", "new", "references"]
    assert [e.ticket_number for e in entries] == [1, 1, 1, 1, 2, 1]
    conversation = tenant_a.get("/tickets/1").get_json()["messages"]
    assert len(conversation) == 5


def test_every_skip_rule_is_recorded_and_nothing_else_is_created(app, client, tenant_a,
                                                                 google):
    _ready(app, client, tenant_a, google)
    skipped = {
        "auto_reply": letter(headers={"Auto-Submitted": "auto-replied"}),
        "bulk": letter(headers={"Precedence": "bulk"}),
        "bounce": letter(sender="MAILER-DAEMON@mx.example"),
        "own_address": letter(sender=BOX),
        "own_letter": letter(headers={"X-Helpdesk-Letter": "reply"}),
    }
    for raw in skipped.values():
        google.deliver(BOX, raw)
    google.deliver(BOX, letter(headers={"X-Autoreply": "yes"}))
    report = (b"From: postmaster@x.example\r\nTo: " + BOX.encode() + b"\r\nSubject: Undelivered"
              b"\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b"
              b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n")
    google.deliver(BOX, report)
    google.deliver(BOX, letter(subject="Sent copy"), labels=("SENT",))
    sync_now(app, tenant_a)
    reasons = [e.reason for e in log_of(app, tenant_a)]
    # The SENT copy comes through history.list (it is no inbox message): our own letter.
    assert reasons == list(skipped) + ["auto_reply", "bounce", "own_letter"]
    assert tickets_of(app, tenant_a) == []
    assert tenant_a.get("/integrations/gmail/log?status=skipped").get_json()["items"][0][
        "reason"] == "own_letter"  # newest first


def test_stop_listed_senders_go_to_the_spam_view(app, client, tenant_a, google):
    _ready(app, client, tenant_a, google)
    assert tenant_a.call("PUT", "/stop-list", {"domains": ["spam.example"]}).status_code == 200
    google.deliver(BOX, letter(sender="offer@spam.example", subject="Cheap pills"))
    sync_now(app, tenant_a)
    (entry,) = log_of(app, tenant_a)
    assert entry.status == "imported" and "spam" in entry.reason
    spam = tenant_a.get("/tickets?spam=true").get_json()["items"]
    assert [t["subject"] for t in spam] == ["Cheap pills"]


def test_a_failed_message_is_logged_and_can_be_retried(app, client, tenant_a, google):
    _ready(app, client, tenant_a, google)
    google.deliver(BOX, b"Subject: no sender at all\r\n\r\nbody\r\n")
    sync_now(app, tenant_a)
    failed = tenant_a.get("/integrations/gmail/log?status=failed").get_json()["items"]
    assert len(failed) == 1 and "no sender" in failed[0]["reason"]
    retried = tenant_a.post(f"/integrations/gmail/log/{failed[0]['id']}/retry", {})
    assert retried.status_code == 202
    run_jobs(app, "default")
    (entry,) = log_of(app, tenant_a)
    assert entry.status == "failed" and entry.attempts == 2
    done = tenant_a.get("/integrations/gmail/log?status=imported").get_json()
    assert done["items"] == []
    ok = log_of(app, tenant_a)[0]
    assert tenant_a.post(f"/integrations/gmail/log/{ok.id + 999}/retry", {}).status_code == 404


def test_sync_skips_a_tenant_without_the_add_on(app, client, tenant_a, google):
    _ready(app, client, tenant_a, google)
    assert tenant_a.delete("/billing/addons/gmail").status_code == 204
    google.deliver(BOX, letter())
    assert sync_now(app, tenant_a)["outcome"] == "no_addon"
    with tenant_of(app, tenant_a):
        assert db.session.scalar(select(Mailbox.status)) == "connected"


def test_mail_sync_command(app, client, signup, google):
    api, body = signup()
    _ready(app, client, api, google)
    google.deliver(BOX, letter(subject="By the command"))
    runner = app.test_cli_runner()
    now = runner.invoke(args=["mail", "sync", "--tenant", body["tenant"]["slug"], "--now"])
    assert now.exit_code == 0, now.output
    assert "'imported': 1" in now.output
    assert [t.subject for t in tickets_of(app, api)] == ["By the command"]
    queued = runner.invoke(args=["mail", "sync", "--tenant", body["tenant"]["slug"]])
    assert queued.exit_code == 0 and "sync enqueued" in queued.output
    assert Queue("default", connection=app.extensions["redis"]).count == 1
    missing = runner.invoke(args=["mail", "sync", "--tenant", "no-such-company"])
    assert missing.exit_code != 0 and "no connected Gmail mailbox" in missing.output


def test_the_stdlib_corpus_is_all_accounted_for_in_the_log(app, client, tenant_a, google):
    corpus = _stdlib_corpus()
    if not corpus:
        pytest.skip("the stdlib's email test data is not installed")
    _ready(app, client, tenant_a, google)
    for path in corpus:
        google.deliver(BOX, path.read_bytes())
    result = sync_now(app, tenant_a)
    entries = log_of(app, tenant_a)
    assert result["outcome"] == "ok" and len(entries) == len(corpus)
    assert {e.status for e in entries} <= {"imported", "skipped", "failed"}
    imported = [e for e in entries if e.status == "imported"]
    assert len(imported) > len(corpus) // 2
    assert len(tickets_of(app, tenant_a)) == len({e.ticket_number for e in imported})
