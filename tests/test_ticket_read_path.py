"""The ticket read path: a list answers exactly what the ticket itself answers, in one query
per page (no query per row, no second query for the requesters)."""
import pytest

from app.extensions import db
from app.tickets import service
from tests.statements import recorded_statements
from tests.test_tickets_support import new_ticket

# Not the app's: the test fixture's savepoints and roles, and the tenant setting per transaction.
_NOT_COUNTED = ("SELECT SET_CONFIG",)


def _without_conversation(ticket: dict) -> dict:
    return {key: value for key, value in ticket.items() if key not in ("messages", "links")}


def test_list_and_search_items_equal_the_ticket(tenant_a):
    """Every field of a listed ticket (requester, merge target, tags, custom fields, SLA…)
    is what the ticket's own endpoint answers."""
    assert tenant_a.post("/custom-fields", {"key": "plan", "label": "Plan", "kind": "select",
                                            "options": ["free", "paid"]}).status_code == 201
    new_ticket(tenant_a, subject="Original lamp", tags=["vip", "Lamp"],
               custom_fields={"plan": "paid"}, priority="high", type="incident")
    new_ticket(tenant_a, subject="Duplicate lamp", requester={"email": "two@client.example"})
    new_ticket(tenant_a, subject="Other lamp", requester={"email": "three@client.example",
                                                          "name": "Three"})
    assert tenant_a.post("/tickets/2/merge", {"into": 1}).status_code == 200
    assert tenant_a.post("/tickets/3/escalate", {}).status_code == 200
    listed = tenant_a.get("/tickets").get_json()["items"]
    found = tenant_a.get("/tickets?q=lamp").get_json()["items"]
    assert [t["number"] for t in listed] == [3, 2, 1] == [t["number"] for t in found]
    for item in listed + found:
        whole = tenant_a.get(f"/tickets/{item['number']}").get_json()
        assert item == _without_conversation(whole)
    assert listed[1]["merged_into"] == 1 and listed[0]["requester"]["name"] == "Three"


@pytest.fixture
def queries(app):
    """The queries the app sends inside the block (the fixture's own are left out)."""
    with recorded_statements(app, skip=_NOT_COUNTED, width=100) as sent:
        yield sent


def test_a_page_is_one_query(desk, queries):
    support = desk.department("Second line")
    agent = desk.staff(access={support.id: "reply"})
    for i in range(12):
        desk.ticket(subject=f"Printer {i}", requester_email=f"r{i}@client.example",
                    department_id=support.id if i % 2 else None)
    db.session.flush()
    pages = {
        "inbox": lambda: service.list_tickets(desk.admin, limit=5),
        "deeper": lambda: service.list_tickets(desk.admin, limit=5, cursor=10 ** 12),
        "statuses": lambda: service.list_tickets(desk.admin, status=["new", "open"], limit=5),
        "requester": lambda: service.list_tickets(desk.admin, requester_email="r3@client.example"),
    }
    for name, run in pages.items():
        queries.clear()
        page = run()
        assert page.items and len(queries) == 1, (name, queries)
        assert all(t.customer.email.endswith("@client.example") for t in page.items)
    queries.clear()
    mine = service.list_tickets(agent, limit=20)  # the agent's departments, then the page
    assert len(mine.items) == 12 and len(queries) == 2, queries


def test_rows_are_read_only_copies_equal_to_their_ticket(desk):
    ticket = desk.ticket(subject="Row and entity")
    [row] = service.list_tickets(desk.admin).items
    assert row == ticket and ticket == row and row in [ticket] and hash(row) == hash(row.id)
    assert (row.number, row.subject, row.status, row.is_open) == (
        ticket.number, ticket.subject, ticket.status, True)
    assert row.customer.display_name == "Cus Tomer" and row.merged_into_number is None
    assert not hasattr(row, "_sa_instance_state")  # not an entity: the session never sees it


def test_a_search_of_stop_words_alone_finds_nothing(desk):
    """Such a query has no lexeme: it matches no document, in a small tenant as in a large."""
    desk.ticket(subject="The printer and the scanner")
    assert service.search_tickets(desk.admin, "printer").items
    assert service.search_tickets(desk.admin, "the").items == []
    assert service.search_tickets(desk.admin, "!!!").items == []
