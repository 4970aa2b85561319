"""Internal mail: staff write to colleagues of their company, link tickets, see what they
have not read (in the list and in the navigation), and nobody else reads along."""
from tests.conftest import STRONG_PASSWORD
from tests.internal_mail_support import colleague, conversation, token_of, with_addon
from tests.test_tickets_support import department, make_pro, new_ticket


def _login(client, api, email: str) -> None:
    slug = api.get("/tenant").get_json()["slug"]
    response = client.post(f"/t/{slug}/login", data={"email": email,
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_it_is_an_add_on_on_standard(tenant_a):
    assert tenant_a.get("/internal/conversations").status_code == 402
    refused = tenant_a.post("/internal/conversations",
                            {"subject": "s", "body": "b", "participants": [1]})
    assert refused.status_code == 402 and refused.get_json()["error"]["code"] == "plan_limit"
    with_addon(tenant_a)
    assert tenant_a.get("/internal/conversations").get_json() == {"items": [],
                                                                  "next_cursor": None}


def test_a_conversation_from_start_to_reply_with_unread_counts(tenant_a):
    new_ticket(tenant_a)
    started = conversation(tenant_a, tickets=[1])
    assert started["unread"] == 0 and started["tickets"] == [1]
    assert [m["body_html"] for m in started["messages"]] == ["<p>Shall we buy a new one?</p>"]
    admin_id = started["messages"][0]["author"]["id"]
    cole_api = token_of(tenant_a, "cole@staff.example")
    [item] = cole_api.get("/internal/conversations").get_json()["items"]
    assert item["unread"] == 1 and item["subject"] == "Printer budget"
    assert sorted(item["participants"]) == sorted(started["participants"])
    read = cole_api.get(f"/internal/conversations/{started['id']}").get_json()
    assert read["unread"] == 1  # what was new when it was opened
    assert cole_api.get("/internal/conversations").get_json()["items"][0]["unread"] == 0
    answer = cole_api.post(f"/internal/conversations/{started['id']}/messages",
                           {"body": "Yes, <a laser> one."})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["body_html"] == "<p>Yes, &lt;a laser&gt; one.</p>"
    [mine] = tenant_a.get("/internal/conversations").get_json()["items"]
    assert mine["unread"] == 1
    events = tenant_a.get("/events?action=internal_mail.posted").get_json()["items"]
    assert events and events[0]["data"]["subject"] == "Printer budget"
    assert tenant_a.get("/events?action=internal_mail.started").get_json()["items"]
    assert admin_id != answer.get_json()["author"]["id"]


def test_only_participants_read_or_write(app, tenant_a):
    make_pro(app, tenant_a)
    started = conversation(tenant_a)
    outsider, _ = colleague(tenant_a, name="Out Sider", email="out@staff.example")
    path = f"/internal/conversations/{started['id']}"
    assert outsider.get(path).status_code == 404
    assert outsider.post(f"{path}/messages", {"body": "hi"}).status_code == 404
    assert outsider.get("/internal/conversations").get_json()["items"] == []


def test_bad_input_is_refused_with_a_clear_error(app, tenant_a):
    make_pro(app, tenant_a)
    with_addon(tenant_a)
    _cole_api, cole = colleague(tenant_a)

    def start(**over):
        return tenant_a.post("/internal/conversations", {
            "subject": "Hi", "body": "Text", "participants": [cole["id"]]} | over)

    assert "participants" in start(participants=[]).get_json()["error"]["fields"]
    assert start(participants=[987654321]).status_code == 404
    assert "subject" in start(subject="  ").get_json()["error"]["fields"]
    assert "body" in start(body=" ").get_json()["error"]["fields"]
    assert start(body="x" * 20_001).status_code == 422
    assert start(tickets=[424242]).status_code == 404  # no such ticket
    started = start().get_json()
    assert tenant_a.post(f"/internal/conversations/{started['id']}/messages", {}
                         ).status_code == 422
    assert tenant_a.get("/internal/conversations?cursor=%%%").status_code == 422


def test_a_ticket_is_linked_only_by_someone_who_sees_it(app, tenant_a):
    make_pro(app, tenant_a)
    sales = department(tenant_a, "Sales")
    new_ticket(tenant_a, department_id=sales)
    with_addon(tenant_a)
    cole_api, cole = colleague(tenant_a)
    [admin] = [person for person in tenant_a.get("/staff").get_json()["items"]
               if person["role"] == "admin"]
    refused = cole_api.post("/internal/conversations", {
        "subject": "About #1", "body": "See it", "participants": [admin["id"]],
        "tickets": [1]})
    assert refused.status_code == 404
    allowed = tenant_a.post("/internal/conversations", {
        "subject": "About #1", "body": "See it", "participants": [cole["id"]],
        "tickets": [1]}).get_json()
    assert allowed["tickets"] == [1]
    # The agent reads the conversation but the ticket of a department they can't see
    # is not shown to them.
    assert cole_api.get(f"/internal/conversations/{allowed['id']}").get_json()["tickets"] == []


def test_pages_list_start_show_and_count_unread_in_the_navigation(app, client, tenant_a):
    started = conversation(tenant_a)
    _login(client, tenant_a, "cole@staff.example")
    home = client.get("/app/internal/")
    assert home.status_code == 200 and "Printer budget" in home.text
    assert 'data-testid="nav-count-internal_mail.index">1<' in home.text
    page = client.get(f"/app/internal/{started['id']}")
    assert page.status_code == 200 and "Shall we buy a new one?" in page.text
    assert "nav-count-internal_mail.index" not in page.text  # read now
    sent = client.post(f"/app/internal/{started['id']}", data={"body": "Agreed."})
    assert sent.status_code == 302
    assert "Agreed." in client.get(f"/app/internal/{started['id']}").text
    form = client.get("/app/internal/new")
    assert form.status_code == 200 and "Ada Admin" in form.text
    admin_id = started["messages"][0]["author"]["id"]
    made = client.post("/app/internal/new", data={
        "subject": "Lunch", "body": "At noon?", "participants": [str(admin_id)],
        "tickets": ""})
    assert made.status_code == 302 and "/app/internal/" in made.headers["Location"]
    wrong = client.post("/app/internal/new", data={"subject": "x", "body": "y",
                                                   "tickets": "abc"})
    assert wrong.status_code == 200 and "Enter ticket numbers" in wrong.text
    items = tenant_a.get("/internal/conversations").get_json()["items"]
    assert [(i["subject"], i["unread"]) for i in items] == [("Lunch", 1),
                                                             ("Printer budget", 1)]


def test_staff_who_wrote_are_kept_when_removed(app, tenant_a):
    started = conversation(tenant_a)
    cole_id = [p for p in started["participants"]
               if p != started["messages"][0]["author"]["id"]][0]
    assert tenant_a.delete(f"/staff/{cole_id}").status_code in (200, 204)
    assert tenant_a.get(f"/staff/{cole_id}").get_json()["active"] is False
    assert tenant_a.get(f"/internal/conversations/{started['id']}").status_code == 200
