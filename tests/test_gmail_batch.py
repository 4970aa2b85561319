"""A batch of mail is one unit of work: its requesters are registered together, its log
entries and events written together — and it still threads, counts and registers as if
each message came alone."""
import pytest
from sqlalchemy import func, select

from app.customers.models import Customer
from app.events.models import Event
from app.extensions import db
from tests.gmail_support import (
    connect,
    fake_google,
    letter,
    log_of,
    sync_now,
    tenant_of,
    tickets_of,
    with_gmail_addon,
)
from tests.statements import recorded_statements

BOX = "support@shop.example"


@pytest.fixture
def google(app, monkeypatch):
    yield from fake_google(app, monkeypatch)


def _ready(app, client, api, google):
    with_gmail_addon(api)
    connect(app, client, api, google, BOX)


def test_a_thread_that_starts_in_a_batch_continues_in_the_same_batch(app, client, tenant_a,
                                                                      google):
    _ready(app, client, tenant_a, google)
    first = google.deliver(BOX, letter(subject="Broken screen",
                                       message_id="<start@client.example>"))
    google.deliver(BOX, letter(subject="Re: Broken screen", body="Still broken."),
                   thread_id=google.thread_of(BOX, first))
    google.deliver(BOX, letter(subject="Another", body="cites the first",
                               headers={"In-Reply-To": "<start@client.example>"}))
    google.deliver(BOX, letter(subject="Unrelated", sender="other@client.example"))
    result = sync_now(app, tenant_a)
    assert result["imported"] == 4
    entries = log_of(app, tenant_a)
    assert [e.reason.split(";")[0] for e in entries] == ["new", "thread", "references", "new"]
    assert [e.ticket_number for e in entries] == [1, 1, 1, 2]
    assert len(tenant_a.get("/tickets/1").get_json()["messages"]) == 3


def test_a_requester_seen_twice_in_a_batch_is_registered_once(app, client, tenant_a, google):
    _ready(app, client, tenant_a, google)
    google.deliver(BOX, letter(sender="twice@client.example", subject="First")
                   .replace(b"Jane Client <twice", b"<twice"))  # no name the first time
    google.deliver(BOX, letter(sender="TWICE@client.example", subject="Second"))
    google.deliver(BOX, letter(sender="once@client.example", subject="Third"))
    assert sync_now(app, tenant_a)["imported"] == 3
    with tenant_of(app, tenant_a):
        customers = db.session.execute(
            select(Customer.email, Customer.name).order_by(Customer.id)).all()
        registered = db.session.scalar(select(func.count()).select_from(Event).where(
            Event.action == "customer.registered"))
        created = db.session.scalar(select(func.count()).select_from(Event).where(
            Event.action == "ticket.created"))
    mail = [row for row in customers if row.email.endswith("@client.example")]
    # The second message's name fills in the one the first left empty.
    assert mail == [("twice@client.example", "Jane Client"),
                    ("once@client.example", "Jane Client")]
    assert registered == 2 and created == 3
    tickets = tickets_of(app, tenant_a)
    assert tickets[0].customer_id == tickets[1].customer_id != tickets[2].customer_id


@pytest.fixture
def statements(app):
    """The statements the app sends (the test fixture's own savepoints left out)."""
    with recorded_statements(app, width=100_000) as seen:
        yield seen


def test_a_batch_of_new_tickets_costs_one_statement_a_message(app, client, tenant_a, google,
                                                              statements):
    _ready(app, client, tenant_a, google)
    count = 8  # within the plan's 10 a day
    for n in range(count):
        google.deliver(BOX, letter(subject=f"Question {n}", sender=f"c{n}@client.example"))
    statements.clear()
    assert sync_now(app, tenant_a)["imported"] == count
    # Per message, the ticket's one statement; the requesters, the quota slots, the log
    # entries and the events take one statement each for the whole batch.
    listing = "\n".join(s[:100] for s in statements)
    assert sum("INTO ticket_counters" in s for s in statements) == count, listing
    for table in ("gmail_log", "events", "customers", "ticket_quotas"):
        assert sum(f"INSERT INTO {table}" in s for s in statements) == 1, listing
    assert len(statements) <= count + 30, listing  # and a few for the sync itself


def test_a_batch_takes_its_quota_slots_at_once_and_gives_back_the_unused(app, client,
                                                                         tenant_a, google):
    _ready(app, client, tenant_a, google)  # the plan allows 10 tickets a day
    assert tenant_a.call("PUT", "/stop-list", {"domains": ["spam.example"]}).status_code == 200
    first = google.deliver(BOX, letter(subject="Earlier", message_id="<early@client.example>"))
    sync_now(app, tenant_a)
    for n in range(3):
        google.deliver(BOX, letter(subject=f"New {n}", sender=f"n{n}@client.example"))
    google.deliver(BOX, letter(sender="offer@spam.example", subject="Cheap pills"))
    google.deliver(BOX, letter(subject="Re: Earlier"), thread_id=google.thread_of(BOX, first))
    google.deliver(BOX, letter(headers={"Auto-Submitted": "auto-replied"}))
    assert sync_now(app, tenant_a)["imported"] == 5
    # The earlier ticket and the three new ones: neither the spam nor the reply counts.
    assert tenant_a.get("/tenant").get_json()["usage"] == {
        "staff": 1, "tickets_today": 4, "tickets_deferred": 0}
    assert [t.deferred for t in tickets_of(app, tenant_a)] == [False] * 5


def test_near_the_quota_a_batch_admits_first_come_first_served(app, client, tenant_a, google):
    _ready(app, client, tenant_a, google)  # the plan allows 10 tickets a day
    for n in range(6):
        google.deliver(BOX, letter(subject=f"Morning {n}", sender=f"m{n}@client.example"))
    sync_now(app, tenant_a)
    for n in range(7):
        google.deliver(BOX, letter(subject=f"Afternoon {n}", sender=f"a{n}@client.example"))
    assert sync_now(app, tenant_a)["imported"] == 7
    assert [t.deferred for t in tickets_of(app, tenant_a)] == [False] * 10 + [True] * 3
    assert tenant_a.get("/tenant").get_json()["usage"]["tickets_today"] == 10
