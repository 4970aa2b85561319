"""Helpers for the letter tests (no tests here): run the ``notifications`` queue against a
real SMTP server and read what it received."""
from contextlib import contextmanager

from rq import Queue, SimpleWorker

from app.extensions import db
from tests.fakes.smtp_server import FakeSMTP

QUEUE = "notifications"


def letters_queue(app) -> Queue:
    return Queue(QUEUE, connection=app.extensions["redis"])


def queued(app) -> list[tuple[str, int, dict]]:
    """``(kind, ticket id, details)`` of every ticket letter waiting on the queue. A new
    ticket's letters wait as one job (``letters_of_new_ticket``), which queues its receipt
    first: it counts as that receipt here (its staff letters come when it runs)."""
    letters = []
    for job in letters_queue(app).jobs:
        if job.func_name.endswith("send_ticket_letter"):
            letters.append((job.args[1], job.args[2], job.args[3]))
        elif job.func_name.endswith("letters_of_new_ticket"):
            letters.append(("receipt", job.args[1], {"language": job.args[2]}))
    return letters


def run_queue(app) -> None:
    """Run what waits on the ``default`` queue (a widget request's completion, which sends
    ``ticket_created``), then the ``notifications`` queue, fan-out jobs included."""
    redis = app.extensions["redis"]
    with app.app_context():
        SimpleWorker([Queue("default", connection=redis), letters_queue(app)],
                     connection=redis).work(burst=True)
        db.session.remove()


@contextmanager
def smtp_server(app):
    """A real SMTP server the app sends to for the duration of the block."""
    with FakeSMTP() as smtp:
        old, app.config["SMTP_URL"] = app.config.get("SMTP_URL"), smtp.url
        try:
            yield smtp
        finally:
            app.config["SMTP_URL"] = old


def deliver(app) -> list:
    """Run the queue with a fresh SMTP server; the letters it received (``email`` messages)."""
    with smtp_server(app) as smtp:
        run_queue(app)
    return [item["message"] for item in smtp.messages]


def text_of(letter) -> str:
    return letter.get_body(("plain",)).get_content()


def html_of(letter) -> str:
    return letter.get_body(("html",)).get_content()


def to_of(letter) -> str:
    return str(letter["To"])
