"""The widget's full path (requests with files, and the embedded default): a request is
registered in the request (number, ticket, message, portal link: in the agents' inbox as
soon as it commits) and completed by a job right after the commit (search document, events,
receipt); the completion happens once, and a worker that dies in the middle loses nothing:
the pending mark stays and the sweep completes it. The lean path of JSON requests is in
test_widget_lean.py."""
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from rq import Queue
from sqlalchemy import select

from app.extensions import db
from app.tickets import completion, search
from app.tickets.models import TicketCompletion
from app.widget import lean
from tenants.context import platform_connection, platform_scope
from tests.conftest import STRONG_PASSWORD
from tests.widget_support import Site, complete_requests, letters_of, signature

# What the visitor waits for, counted at the cursor: the key's tenant (entered in the same
# statement), the tenant's row, the requester, the day's quota, and the one statement that
# writes the number, ticket, message, portal link and pending mark.
MAX_INTAKE_STATEMENTS = 5
_FIXTURE_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET ROLE")


@pytest.fixture
def site(tenant_a):
    return Site(tenant_a).allow()


@pytest.fixture(autouse=True)
def full_path(monkeypatch):
    """Every request here takes the full path, as one with files does."""
    monkeypatch.setattr(lean, "available", lambda submission: False)


def _marks(app) -> list[tuple[int, int]]:
    with app.app_context():
        # PLATFORM-WIDE: a test looks at the pending marks
        with platform_connection(), platform_scope():
            marks = [tuple(row) for row in db.session.execute(
                select(TicketCompletion.tenant_id, TicketCompletion.ticket_id))]
        db.session.remove()
    return marks


_EARLIER: set[tuple[int, int]] = set()


@pytest.fixture(autouse=True)
def _marks_of_other_tests(app):
    """Tests with committed data elsewhere (a browser test's live server runs no worker) may
    leave marks of their own companies behind; these tests look only at what they add."""
    _EARLIER.clear()
    _EARLIER.update(_marks(app))


def _pending(app) -> list[tuple[int, int]]:
    """(tenant id, ticket id) of the tickets still waiting for their completion."""
    return [mark for mark in _marks(app) if mark not in _EARLIER]


def _events(api, action: str) -> list[dict]:
    return api.get(f"/events?action={action}").get_json()["items"]


def test_the_request_is_in_the_inbox_at_once_and_completed_right_after(app, site):
    started = time.monotonic()
    response = site.post({"subject": "Scanner offline", "body": "The scanner is offline."},
                         query="?language=kk")
    assert response.status_code == 201, response.get_json()
    number = response.get_json()["number"]
    [listed] = site.api.get("/tickets").get_json()["items"]
    assert time.monotonic() - started < 1.0
    assert listed["number"] == number and listed["status"] == "new"
    assert listed["channel"] == "widget" and listed["subject"] == "Scanner offline"
    # Registered, not yet completed: no search document, no events, no letters.
    assert site.api.get("/tickets?q=scanner").get_json()["items"] == []
    assert _events(site.api, "ticket.created") == []
    assert letters_of(app, "receipt") == []
    assert len(_pending(app)) == 1
    # The status link works before the completion: the portal link was written with it.
    status = site.client.get(urlsplit(response.get_json()["status_url"]).path)
    assert status.status_code == 200 and "Scanner offline" in status.get_data(as_text=True)

    complete_requests(app)
    assert _pending(app) == []
    assert [t["number"] for t in site.api.get("/tickets?q=scanner").get_json()["items"]] == [
        number]
    [created] = _events(site.api, "ticket.created")
    assert created["data"]["channel"] == "widget" and created["data"]["number"] == number
    assert created["data"]["requester"] == "bob@client.example"
    assert created["actor"]["type"] == "customer"
    assert len(_events(site.api, "customer.registered")) == 1
    [receipt] = letters_of(app, "receipt")
    assert receipt[1].get("language") == "kk"


def test_an_agent_sees_it_in_the_inbox_page_before_the_completion(app, client, site):
    support = next(d["id"] for d in site.api.get("/departments").get_json()["items"])
    agent = site.api.post("/staff", {"name": "Alice Agent", "email": "alice@x.example",
                                     "password": STRONG_PASSWORD, "role": "agent",
                                     "departments": [{"id": support, "access": "reply"}]})
    assert agent.status_code == 201, agent.get_json()
    fields = [{"name": n, "required": n in ("email", "body")}
              for n in ("name", "email", "subject", "body", "department_id")]
    assert site.api.patch("/widget", {"fields": fields}).status_code == 200
    response = site.post({"subject": "Door is stuck", "department_id": support})
    assert response.status_code == 201, response.get_json()
    slug = site.api.get("/tenant").get_json()["slug"]
    assert client.post(f"/t/{slug}/login", data={
        "email": "alice@x.example", "password": STRONG_PASSWORD}).status_code == 302
    inbox = client.get("/app/tickets/")
    assert inbox.status_code == 200 and "Door is stuck" in inbox.get_data(as_text=True)
    assert len(_pending(app)) == 1  # seen before its completion ran


def test_the_completion_happens_once_whoever_runs_it(app, site):
    assert site.post().status_code == 201
    assert Queue("default", connection=app.extensions["redis"]).count == 1  # one drain
    Queue("default", connection=app.extensions["redis"]).enqueue(
        completion.complete_pending_job)  # a second drain, e.g. a retry
    complete_requests(app)
    with app.app_context():
        assert completion.complete_waiting() == 0
    assert len(_events(site.api, "ticket.created")) == 1
    assert len(letters_of(app, "receipt")) == 1
    assert len(site.api.get("/tickets?q=jams").get_json()["items"]) == 1


def test_a_worker_that_dies_mid_completion_loses_nothing(app, site, monkeypatch):
    assert site.post({"subject": "Toner is empty"}).status_code == 201
    real = search.reindex

    def dies(ticket):
        real(ticket)
        raise RuntimeError("the worker died")  # half done: nothing of it may stay

    monkeypatch.setattr(search, "reindex", dies)
    complete_requests(app)  # the job fails
    monkeypatch.setattr(search, "reindex", real)
    assert len(_pending(app)) == 1  # rolled back with the rest of the job
    assert _events(site.api, "ticket.created") == []
    with app.app_context():
        assert completion.complete_waiting(older_than=completion.GRACE) == 0  # still fresh
        assert completion.complete_waiting(older_than=timedelta(0)) == 1
    assert _pending(app) == []
    assert len(_events(site.api, "ticket.created")) == 1
    assert len(letters_of(app, "receipt")) == 1
    assert len(site.api.get("/tickets?q=toner").get_json()["items"]) == 1


def test_a_rolled_back_request_leaves_no_ticket_no_mark_and_no_job(app, site,
                                                                   refused_commit):
    with refused_commit():
        site.post()
    assert site.api.get("/tickets").get_json()["items"] == []
    assert _pending(app) == []
    assert Queue("default", connection=app.extensions["redis"]).count == 0


def test_what_the_visitor_waits_for_is_a_few_statements(app, site, statements):
    assert site.post({"email": "first@client.example"}).status_code == 201  # warms the caches
    statements.clear()
    response = site.post({"email": "second@client.example"})
    assert response.status_code == 201 and response.get_json()["number"] == 2
    listing = "\n".join(statements)
    assert len(statements) <= MAX_INTAKE_STATEMENTS, f"{len(statements)}:\n{listing}"
    assert len(_pending(app)) == 2


def test_verified_requesters_are_marked_in_the_registering_statement(app, site):
    secret = site.api.post("/widget/secret").get_json()["identity_secret"]
    response = site.post({"email_hash": signature(secret, "bob@client.example")})
    assert response.status_code == 201
    assert site.api.get("/tickets/1").get_json()["requester_verified"] is True
    assert site.post({"email_hash": "0" * 64}).status_code == 201
    assert site.api.get("/tickets/2").get_json()["requester_verified"] is False
