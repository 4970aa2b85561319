"""Helpers for the Gmail tests: the fake Google wired into the app, a tenant with the Gmail
add-on connected through the real consent flow, letters to deliver, and running the jobs."""
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from cryptography.fernet import Fernet
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.extensions import db
from app.mailbox.models import LogEntry, Mailbox
from app.tickets.models import Ticket
from tenants import context
from tests.crosstenant.rules import as_tenant_of
from tests.fakes.google_server import FakeGoogle

KEY = Fernet.generate_key().decode()


def fake_google(app, monkeypatch):
    """The fake Google, and the app's settings pointing at it (restored afterwards): a test
    module's ``google`` fixture yields from this."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain-http token URL: tests only
    with FakeGoogle() as fake:
        for name, value in (fake.config() | {"ENCRYPTION_KEY": KEY,
                                              "GMAIL_BACKOFF_SECONDS": 0.001}).items():
            monkeypatch.setitem(app.config, name, value)
        yield fake


def letter(*, sender: str = "jane@client.example", to: str = "support@shop.example",
           subject: str = "The printer is on fire", body: str = "It smokes when I print.",
           headers: dict | None = None, message_id: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = f"Jane Client <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = message_id or make_msgid(domain="client.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return bytes(message)


def run_jobs(app, *queues: str) -> None:
    redis = app.extensions["redis"]
    names = queues or ("default", "mail", "notifications")
    with app.app_context():
        SimpleWorker([Queue(n, connection=redis) for n in names], connection=redis).work(
            burst=True)


def with_gmail_addon(api) -> None:
    response = api.post("/billing/addons", {"addon": "gmail"})
    assert response.status_code == 201, response.get_json()


def connect(app, client, api, google, email: str = "support@shop.example", *,
            sync: bool = True) -> None:
    """Connect the tenant's Gmail through the real flow (and run the first sync)."""
    response = api.post("/integrations/gmail", {})
    assert response.status_code == 201, response.get_json()
    back = google.consent(response.get_json()["authorize_url"], email)
    done = client.get(back.removeprefix(app.config["BASE_URL"]))
    assert done.status_code == 302, done.get_data(as_text=True)
    if sync:
        run_jobs(app, "default")


@contextmanager
def tenant_of(app, api):
    """Inside the tenant of ``api`` (the context is cleared after, so the next call may
    enter another tenant: the token lookup sets the tenant for the rest of the context)."""
    context.clear()
    try:
        with as_tenant_of(app, api) as staff:
            yield staff
    finally:
        context.clear()


def mailbox_of(app, api) -> dict:
    with tenant_of(app, api):
        box = db.session.scalar(select(Mailbox))
        return {c.name: getattr(box, c.name) for c in Mailbox.__table__.columns}


def log_of(app, api) -> list[LogEntry]:
    with tenant_of(app, api):
        rows = db.session.scalars(select(LogEntry).order_by(LogEntry.id)).all()
        db.session.expunge_all()
        return rows


def tickets_of(app, api) -> list[Ticket]:
    with tenant_of(app, api):
        rows = db.session.scalars(select(Ticket).order_by(Ticket.number)).all()
        db.session.expunge_all()
        return rows


def sync_now(app, api) -> dict:
    """Run one sync of the tenant's mailbox in this process, as the worker would."""
    from app.mailbox.jobs import sync_mailbox_job

    with app.app_context():
        box = mailbox_of(app, api)
        return sync_mailbox_job(box["tenant_id"], box["id"])
