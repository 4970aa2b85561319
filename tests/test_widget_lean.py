"""The widget's lean intake: a JSON request is checked as the full path checks it, stored with
its number in one statement, and made the very ticket the full path would make by a job
right after the commit; the status link works at once ("being registered")."""
from urllib.parse import urlsplit

import pytest

from app.widget import lean
from tests.test_tickets_support import department
from tests.widget_support import Site, complete_requests, letters_of, signature

# What the visitor waits for, counted at the cursor once the caches are warm: the one
# statement that applies the tenant context, reserves the number and the ticket id, takes
# the day's quota slot and stores the request.
MAX_LEAN_STATEMENTS = 1
_FIXTURE_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET ROLE")


@pytest.fixture
def site(tenant_a):
    return Site(tenant_a).allow()


def _events(api, action: str) -> list[dict]:
    return api.get(f"/events?action={action}").get_json()["items"]


def test_stored_at_once_made_a_ticket_right_after_and_the_link_works_throughout(app, site):
    response = site.post({"subject": "Scanner offline", "body": "The scanner is offline."},
                         query="?language=kk")
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["number"] == 1 and answer["deferred"] is False
    assert site.api.get("/tickets").get_json()["items"] == []  # stored, not yet a ticket
    path = urlsplit(answer["status_url"]).path
    waiting = site.client.get(path)
    assert waiting.status_code == 200 and waiting.headers["Refresh"]
    assert 'data-testid="registering"' in waiting.get_data(as_text=True)
    assert "No. 1" in waiting.get_data(as_text=True)

    complete_requests(app)
    [listed] = site.api.get("/tickets?q=scanner").get_json()["items"]
    assert listed["number"] == 1 and listed["channel"] == "widget"
    [created] = _events(site.api, "ticket.created")
    assert created["data"]["number"] == 1 and created["actor"]["type"] == "customer"
    assert len(_events(site.api, "customer.registered")) == 1
    [(_ticket_id, details)] = letters_of(app, "receipt")
    assert details["language"] == "kk"
    page = site.client.get(path)  # the same link now opens the ticket
    assert page.status_code == 200 and "Scanner offline" in page.get_data(as_text=True)
    assert "Refresh" not in page.headers


_SAME = ("subject", "status", "priority", "type", "channel", "department_id", "assignee_id",
         "tags", "custom_fields", "deferred", "spam", "requester_verified", "requester",
         "escalation_level", "sla")


def _ticket(site, number: int) -> dict:
    ticket = site.api.get(f"/tickets/{number}").get_json()
    kept = {key: ticket[key] for key in _SAME}
    kept["messages"] = [(m["body_html"], m["internal"]) for m in ticket["messages"]]
    return kept


def test_the_lean_path_makes_exactly_the_ticket_the_full_path_makes(app, site, monkeypatch):
    support = department(site.api, "Billing")
    assert site.api.post("/custom-fields", {"key": "order", "label": "Order",
                                            "kind": "number"}).status_code == 201
    fields = [{"name": n, "required": n in ("email", "body")}
              for n in ("name", "email", "subject", "body", "department_id", "order")]
    assert site.api.patch("/widget", {"fields": fields}).status_code == 200
    secret = site.api.post("/widget/secret").get_json()["identity_secret"]
    assert site.api.call("PUT", "/stop-list", {"words": ["casino"]}).status_code == 200
    payloads = [
        {"department_id": support, "fields": {"order": "42"},
         "email_hash": signature(secret, "bob@client.example")},
        {"subject": "Casino bonus", "email": "eve@spam.example"},  # stop-listed: spam
        {"name": "", "subject": "", "body": "No subject given."},
    ]
    numbers = []
    for payload in payloads:
        with monkeypatch.context() as patch:
            patch.setattr(lean, "available", lambda submission: False)
            full = site.post(payload)
        quick = site.post(payload)
        assert full.status_code == quick.status_code == 201, quick.get_json()
        assert full.get_json()["deferred"] == quick.get_json()["deferred"]
        numbers.append((full.get_json()["number"], quick.get_json()["number"]))
    complete_requests(app)
    for full, quick in numbers:
        assert _ticket(site, quick) == _ticket(site, full)
    assert _ticket(site, numbers[0][1])["custom_fields"] == {"order": 42}
    assert _ticket(site, numbers[0][1])["requester_verified"] is True
    assert _ticket(site, numbers[1][1])["spam"] is True
    usage = site.api.get("/tenant").get_json()["usage"]
    assert usage["tickets_today"] == 4  # spam takes no place in the quota, on either path
    assert len(letters_of(app, "receipt")) == 4  # none for spam


def test_over_the_daily_quota_the_stored_request_becomes_a_deferred_ticket(app, site):
    answers = [site.post({"email": f"c{n}@client.example"}).get_json() for n in range(11)]
    assert [a["deferred"] for a in answers] == [False] * 10 + [True]
    complete_requests(app)
    assert site.api.get("/tickets/11").get_json()["deferred"] is True
    assert site.api.get("/tickets/10").get_json()["deferred"] is False
    assert site.api.get("/tenant").get_json()["usage"]["tickets_today"] == 10


def test_numbers_never_collide_with_other_channels(app, site):
    assert site.post().get_json()["number"] == 1
    by_api = site.api.post("/tickets", {"subject": "By phone", "body": "Call back",
                                        "requester": {"email": "c@x.example", "name": "C"}})
    assert by_api.get_json()["number"] == 2
    assert site.post().get_json()["number"] == 3
    complete_requests(app)
    numbers = sorted(t["number"] for t in site.api.get("/tickets").get_json()["items"])
    assert numbers == [1, 2, 3]


def test_checks_answer_as_the_full_path_does(site):
    assert site.api.post("/custom-fields", {"key": "order", "label": "Order", "kind": "number",
                                            "required": True}).status_code == 201
    wrong = site.post({"email": "nope", "fields": {"order": "abc"}}, query="?language=ru")
    assert wrong.status_code == 422
    assert wrong.get_json()["error"]["fields"] == {
        "email": "Введите корректный адрес электронной почты."}
    custom = site.post({"fields": {"order": "abc"}})
    assert custom.get_json()["error"]["fields"] == {"fields.order": "Enter a number."}
    honeypot = site.post({"website": "http://spam.example"})
    assert honeypot.get_json() == {"number": None, "status_url": None, "deferred": False}
    assert site.post({"fields": {"order": "7"}}).get_json()["number"] == 1


def test_what_the_visitor_waits_for_is_one_statement(app, site, statements):
    assert site.post({"email": "first@client.example"}).status_code == 201  # warms the caches
    statements.clear()
    response = site.post({"email": "second@client.example"})
    assert response.status_code == 201 and response.get_json()["number"] == 2
    listing = "\n".join(statements)
    assert len(statements) <= MAX_LEAN_STATEMENTS, f"{len(statements)}:\n{listing}"
    assert "set_config('app.tenant_id'" in listing  # the tenant context rides along
