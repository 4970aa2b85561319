"""The ticket desk's pages through the test client: views, filters, access, the composer's
errors and collisions, templates, and the controls. (The browser tests click the same.)"""
import re
from datetime import timedelta

import pytest

from app.db_types import utcnow
from app.extensions import db
from app.tickets.models import Ticket
from tests.conftest import STRONG_PASSWORD
from tests.crosstenant.rules import as_tenant_of


def login(client, slug: str, email: str) -> None:
    response = client.post(f"/t/{slug}/login", data={"email": email, "password": STRONG_PASSWORD})
    assert response.status_code == 302


def new_ticket(api, subject: str, **extra) -> int:
    body = {"subject": subject, "body": extra.pop("body", f"About {subject}."),
            "requester": {"email": extra.pop("email", "bob@client.example"), "name": "Bob"}}
    response = api.post("/tickets", body | extra)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


@pytest.fixture
def admin(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    login(client, slug, f"admin@{slug}.example")
    api.slug = slug
    return api


def numbers_on(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return [int(n) for n in re.findall(r'data-number="(\d+)"', response.get_data(as_text=True))]


def test_views_show_the_right_tickets(client, admin, app):
    me = admin.get("/staff").get_json()["items"][0]["id"]
    mine = new_ticket(admin, "Mine", assignee_id=me)
    loose = new_ticket(admin, "Nobody's")
    waiting = new_ticket(admin, "Waiting", status="pending")
    done = new_ticket(admin, "Done", status="closed")
    binned = new_ticket(admin, "Binned")
    assert admin.delete(f"/tickets/{binned}").status_code in (200, 204)
    assert admin.post(f"/tickets/{done}/archive").status_code == 200

    assert numbers_on(client, "/app/tickets/") == [waiting, loose, mine]
    assert numbers_on(client, "/app/tickets/?view=mine") == [mine]
    assert numbers_on(client, "/app/tickets/?view=unassigned") == [waiting, loose]
    assert numbers_on(client, "/app/tickets/?view=pending") == [waiting]
    assert numbers_on(client, "/app/tickets/?view=trash") == [binned]
    assert numbers_on(client, "/app/tickets/?view=archive") == [done]
    # Search reaches into the archive.
    assert numbers_on(client, "/app/tickets/?q=Done") == [done]

    with as_tenant_of(app, admin):
        ticket = db.session.scalar(db.select(Ticket).where(Ticket.number == loose))
        ticket.first_response_due_at = utcnow() + timedelta(minutes=30)
        db.session.flush()
        assert numbers_on(client, "/app/tickets/?view=breach") == [loose]


def test_filters_and_pages(client, admin):
    assert admin.post("/billing/plan", {"plan": "pro"}).status_code == 200  # 500 tickets a day
    numbers = [new_ticket(admin, f"Ticket {i}", priority="high" if i % 2 else "low",
                          tags=["vip"] if i == 3 else []) for i in range(1, 56)]
    first = numbers_on(client, "/app/tickets/?view=all")
    assert first == numbers[::-1][:50]
    page = client.get("/app/tickets/?view=all").get_data(as_text=True)
    cursor = re.search(r'cursor=(\d+)" rel="next"', page).group(1)
    assert numbers_on(client, f"/app/tickets/?view=all&cursor={cursor}") == numbers[::-1][50:]
    high = numbers_on(client, "/app/tickets/?view=all&priority=high")
    assert high and all(n % 2 for n in high)
    assert numbers_on(client, "/app/tickets/?view=all&tag=vip") == [3]
    assert numbers_on(client, "/app/tickets/?view=all&requester=nobody@else.example") == []


def test_unknown_filter_value_is_a_clear_422(client, admin):
    response = client.get("/app/tickets/?status=exploded")
    assert response.status_code == 422
    assert "new, open, pending" in response.get_data(as_text=True)


def test_agent_sees_only_their_departments(client, admin):
    secret = admin.post("/departments", {"name": "Secret"}).get_json()["id"]
    support = next(d["id"] for d in admin.get("/departments").get_json()["items"]
                   if d["name"] == "Support")
    admin.post("/staff", {"name": "Agent", "email": f"agent@{admin.slug}.example",
                          "password": STRONG_PASSWORD, "role": "agent",
                          "departments": [{"id": support, "access": "reply"}]})
    hidden = new_ticket(admin, "Salary list", department_id=secret, body="confidential words")
    shown = new_ticket(admin, "Printer", department_id=support)
    client.post("/logout")
    login(client, admin.slug, f"agent@{admin.slug}.example")
    assert numbers_on(client, "/app/tickets/?view=all") == [shown]
    assert numbers_on(client, "/app/tickets/?q=confidential") == []
    assert client.get(f"/app/tickets/{hidden}").status_code == 404
    assert client.post(f"/app/tickets/{hidden}/messages", data={"body": "hi"}).status_code == 404
    assert client.get(f"/app/tickets/{shown}").status_code == 200


def test_reply_errors_keep_the_typed_text(client, admin):
    number = new_ticket(admin, "Files")
    empty = client.post(f"/app/tickets/{number}/messages",
                        data={"body": "<p> </p>", "body_format": "html"})  # as the editor posts
    assert empty.status_code == 422
    assert "Write a message." in empty.get_data(as_text=True)

    admin.patch("/settings/attachments", {"max_file_bytes": 1024})
    big = client.post(f"/app/tickets/{number}/messages", data={
        "body": "<p>See the attached scan</p>",
        "files": [(__import__("io").BytesIO(b"%PDF-1.4\n" + b"0" * 4096), "scan.pdf")]},
        content_type="multipart/form-data")
    assert big.status_code == 413
    text = big.get_data(as_text=True)
    assert "See the attached scan" in text  # the reply is not lost
    assert "scan.pdf" in text and "the limit is" in text
    messages = admin.get(f"/tickets/{number}").get_json()["messages"]
    assert len(messages) == 1  # nothing was sent


def test_collision_holds_the_reply_until_confirmed(client, admin):
    number = new_ticket(admin, "Race")
    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    seen = re.search(r'name="seen_version" value="(\d+)"', page).group(1)
    # The status changes behind the agent's back (another tab, a colleague, a rule).
    admin.post("/staff", {"name": "Colleague", "email": f"col@{admin.slug}.example",
                          "password": STRONG_PASSWORD, "role": "admin"})
    anonymous = type(admin)(admin.client)
    colleague = anonymous.post("/tokens", {
        "tenant": admin.slug, "email": f"col@{admin.slug}.example",
        "password": STRONG_PASSWORD}).get_json()["token"]
    other = type(admin)(admin.client, colleague)
    assert other.post(f"/tickets/{number}/messages",
                      {"body": "I answered already", "internal": False}).status_code == 201

    held = client.post(f"/app/tickets/{number}/messages",
                       data={"body": "<p>My late answer</p>", "seen_version": seen})
    assert held.status_code == 409
    text = held.get_data(as_text=True)
    assert "I answered already" in text and "My late answer" in text
    assert 'name="force" value="1"' in text
    assert len(admin.get(f"/tickets/{number}").get_json()["messages"]) == 2

    new_seen = re.search(r'name="seen_version" value="(\d+)"', text).group(1)
    sent = client.post(f"/app/tickets/{number}/messages", data={
        "body": "<p>My late answer</p>", "seen_version": new_seen, "force": "1"})
    assert sent.status_code == 302
    bodies = [m["body_html"] for m in admin.get(f"/tickets/{number}").get_json()["messages"]]
    assert "My late answer" in bodies[-1]


def test_template_picker_flags_empty_placeholders_and_applies_actions(client, admin):
    number = new_ticket(admin, "Template")
    template = admin.post("/responses", {"name": "Ask", "set_priority": "urgent",
                                         "body": "<p>Hi {{customer.name}} {{order.id}}</p>"})
    template_id = template.get_json()["id"]
    found = client.get(f"/app/tickets/{number}/templates?q=as").get_data(as_text=True)
    assert f"/templates/{template_id}" in found
    assert "No templates match" in client.get(
        f"/app/tickets/{number}/templates?q=zzz").get_data(as_text=True)
    picked = client.get(f"/app/tickets/{number}/templates/{template_id}").get_data(as_text=True)
    assert "Hi Bob" in picked and "{{order.id}}" in picked  # named in the warning
    assert 'name="template_priority" value="urgent"' in picked
    sent = client.post(f"/app/tickets/{number}/messages", data={
        "body": "<p>Hi Bob</p>", "template_priority": "urgent", "template_summary": "Ask"})
    assert sent.status_code == 302
    assert admin.get(f"/tickets/{number}").get_json()["priority"] == "urgent"


def test_controls(client, admin):
    a, b = new_ticket(admin, "First"), new_ticket(admin, "Second")
    second_line = admin.post("/departments", {"name": "Second line"}).get_json()["id"]
    assert client.post(f"/app/tickets/{a}/set/status", data={"status": "on_hold"},
                       headers={"HX-Request": "true"}).status_code == 200
    assert client.post(f"/app/tickets/{a}/set/colour", data={}).status_code == 422
    bad = client.post(f"/app/tickets/{a}/set/priority", data={"priority": "meh"},
                      headers={"HX-Request": "true"})
    assert bad.status_code == 200 and "Choose one of" in bad.get_data(as_text=True)
    assert client.post(f"/app/tickets/{a}/escalate", data={
        "comment": "needs a specialist", "department_id": str(second_line)}).status_code == 302
    assert client.post(f"/app/tickets/{a}/tags", data={"tags": "vip, Billing"}).status_code == 302
    assert client.post(f"/app/tickets/{a}/links", data={"other": f"#{b}"}).status_code == 302
    ticket = admin.get(f"/tickets/{a}").get_json()
    assert ticket["status"] == "on_hold" and ticket["department_id"] == second_line
    assert ticket["escalation_level"] == 2
    assert sorted(ticket["tags"]) == ["billing", "vip"]
    page = client.get(f"/app/tickets/{a}").get_data(as_text=True)
    assert f"#{b} Second" in page and "needs a specialist" in page

    # A number that doesn't exist is an error on the form, not a 404 of the page.
    missing = client.post(f"/app/tickets/{a}/merge", data={"into": "999"},
                          follow_redirects=True)
    assert missing.status_code == 200 and "not found" in missing.get_data(as_text=True).lower()
    merged = client.post(f"/app/tickets/{a}/merge", data={"into": str(b)})
    assert merged.status_code == 302 and merged.headers["Location"].endswith(f"/app/tickets/{b}")
    assert "Merged into" in client.get(f"/app/tickets/{a}").get_data(as_text=True)


def test_new_ticket_form(client, admin):
    empty = client.post("/app/tickets/new", data={"subject": " ", "requester_email": ""})
    assert empty.status_code == 422
    assert "Enter a subject." in empty.get_data(as_text=True)
    assert "Enter the requester&#39;s e-mail address." in empty.get_data(as_text=True)
    bad = client.post("/app/tickets/new", data={"subject": "", "requester_email": "nope",
                                                "body": "kept text"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "kept text" in text and 'class="error"' in text
    made = client.post("/app/tickets/new", data={
        "subject": "Phone call", "requester_email": "carol@client.example",
        "requester_name": "Carol", "body": "Call back", "priority": "high", "tags": "phone"})
    assert made.status_code == 302
    number = int(made.headers["Location"].rsplit("/", 1)[1])
    ticket = admin.get(f"/tickets/{number}").get_json()
    assert ticket["channel"] == "staff" and ticket["priority"] == "high"
    assert ticket["requester"]["email"] == "carol@client.example"


def test_inbox_is_in_the_navigation(client, admin):
    assert 'href="/app/tickets/"' in client.get("/app/").get_data(as_text=True)


def test_custom_fields_on_the_forms(client, admin):
    for field in ({"key": "plan", "label": "Customer plan", "kind": "select",
                   "options": ["basic", "gold"], "required": True},
                  {"key": "vip", "label": "VIP", "kind": "checkbox"},
                  {"key": "seats", "label": "Seats", "kind": "number"}):
        assert admin.post("/custom-fields", field).status_code == 201
    form = {"subject": "Seats", "requester_email": "carol@client.example", "body": "More seats"}
    missing = client.post("/app/tickets/new", data=form)
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert "Customer plan" in text and "This field is required." in text
    made = client.post("/app/tickets/new", data=form | {"cf-plan": "gold", "cf-vip": "1",
                                                        "cf-seats": "12"})
    assert made.status_code == 302
    number = int(made.headers["Location"].rsplit("/", 1)[1])
    assert admin.get(f"/tickets/{number}").get_json()["custom_fields"] == {
        "plan": "gold", "vip": True, "seats": 12}

    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    assert 'data-testid="field-plan">gold<' in page
    bad = client.post(f"/app/tickets/{number}/fields", data={"cf-plan": "platinum",
                                                             "cf-seats": "many"},
                      follow_redirects=True)
    assert "Choose one of: basic, gold." in bad.get_data(as_text=True)
    client.post(f"/app/tickets/{number}/fields", data={"cf-plan": "basic", "cf-seats": ""})
    assert admin.get(f"/tickets/{number}").get_json()["custom_fields"] == {
        "plan": "basic", "vip": False}


def test_inbox_rows_refresh_as_a_fragment(client, admin):
    number = new_ticket(admin, "Fresh")
    fragment = client.get("/app/tickets/", headers={"HX-Request": "true",
                                                   "HX-Target": "ticket-rows"})
    text = fragment.get_data(as_text=True)
    assert f'data-number="{number}"' in text and "<html" not in text
    assert 'hx-trigger="every 60s' in client.get("/app/tickets/").get_data(as_text=True)


def test_a_colleagues_status_change_also_holds_the_reply(client, admin):
    number = new_ticket(admin, "Status race")
    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    seen = re.search(r'name="seen_version" value="(\d+)"', page).group(1)
    admin.post("/staff", {"name": "Colleague", "email": f"col@{admin.slug}.example",
                          "password": STRONG_PASSWORD, "role": "admin"})
    token = type(admin)(admin.client).post("/tokens", {
        "tenant": admin.slug, "email": f"col@{admin.slug}.example",
        "password": STRONG_PASSWORD}).get_json()["token"]
    assert type(admin)(admin.client, token).patch(
        f"/tickets/{number}", {"status": "resolved"}).status_code == 200
    held = client.post(f"/app/tickets/{number}/messages",
                       data={"body": "<p>Still broken?</p>", "seen_version": seen})
    assert held.status_code == 409
    text = held.get_data(as_text=True)
    assert "Colleague changed the status from “New” to “Resolved”." in text
    assert "Still broken?" in text


def test_view_right_reads_but_does_not_write(client, admin):
    support = next(d["id"] for d in admin.get("/departments").get_json()["items"]
                   if d["name"] == "Support")
    admin.post("/staff", {"name": "Viewer", "email": f"viewer@{admin.slug}.example",
                          "password": STRONG_PASSWORD, "role": "agent",
                          "departments": [{"id": support, "access": "view"}]})
    sorted_one = new_ticket(admin, "Sorted", department_id=support)
    unsorted = new_ticket(admin, "Unsorted")
    client.post("/logout")
    login(client, admin.slug, f"viewer@{admin.slug}.example")
    assert numbers_on(client, "/app/tickets/?view=departments") == [sorted_one]
    assert set(numbers_on(client, "/app/tickets/?view=all")) == {sorted_one, unsorted}
    page = client.get(f"/app/tickets/{sorted_one}").get_data(as_text=True)
    assert 'id="composer"' not in page and f"tickets/{sorted_one}/transfer" not in page
    refused = client.post(f"/app/tickets/{sorted_one}/messages", data={"body": "<p>hi</p>"},
                          follow_redirects=True)
    assert "right in this ticket" in refused.get_data(as_text=True)
    assert len(admin.get(f"/tickets/{sorted_one}").get_json()["messages"]) == 1


def test_a_template_setting_that_no_longer_fits_keeps_the_reply(client, admin):
    number = new_ticket(admin, "Template assignee")
    response = client.post(f"/app/tickets/{number}/messages", data={
        "body": "<p>Answer with a template</p>", "template_summary": "Old",
        "template_assignee_id": "987654"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "could not be applied" in text and "Answer with a template" in text
    assert len(admin.get(f"/tickets/{number}").get_json()["messages"]) == 1
