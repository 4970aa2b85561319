"""Stop lists put a request of any channel into the spam view: stored, never in the inbox or
the counts, restorable with "not spam"; the lists are the admin's, checked entry by entry."""
from app.spam.stop_list import Screen, _screen_of
from tests.test_tickets_support import add_staff, department, make_pro, new_ticket
from tests.widget_support import Site, complete_requests


def test_matching_addresses_domains_and_whole_words():
    screen: Screen = _screen_of(["spammer@bad.example"], ["spam.example"],
                                ["casino", "free money", "выигрыш"])
    assert screen.match(email="Spammer@Bad.example").as_dict() == {
        "kind": "addresses", "entry": "spammer@bad.example"}
    assert screen.match(email="a@mail.spam.example").entry == "spam.example"
    assert screen.match(email="a@notspam.example") is None
    assert screen.match(email="a@x.example", subject="CASINO bonus").entry == "casino"
    assert screen.match(email="a@x.example", body="get free\n money now").entry == "free money"
    assert screen.match(email="a@x.example", subject="Ваш ВЫИГРЫШ ждёт").entry == "выигрыш"
    assert screen.match(email="a@x.example", subject="casinos and freemoney") is None
    assert screen.match(email="a@x.example", subject="выигрыша нет") is None


def test_the_admin_replaces_the_lists_and_each_entry_is_checked(tenant_a, client):
    saved = tenant_a.call("PUT", "/stop-list", {"addresses": [" Spammer@Bad.example ", ""],
                                        "domains": ["@Spam.Example", "*.junk.example"],
                                        "words": ["  free   money ", "Free Money", "casino"]})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json() == {"addresses": ["spammer@bad.example"],
                                "domains": ["spam.example", "junk.example"],
                                "words": ["free money", "casino"]}
    assert tenant_a.get("/stop-list").get_json() == saved.get_json()
    bad = tenant_a.call("PUT", "/stop-list", {"addresses": ["not-an-address"], "domains": ["nodot"],
                                      "words": ["x"]})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"addresses", "domains", "words"}
    assert tenant_a.get("/stop-list").get_json() == saved.get_json()
    agent, _ = add_staff(tenant_a, client)
    assert agent.get("/stop-list").status_code == 403
    assert agent.call("PUT", "/stop-list", {"words": []}).status_code == 403
    [event] = tenant_a.get("/events?action=stop_list.updated").get_json()["items"]
    assert event["data"]["words"]["added"] == ["free money", "casino"]


def test_a_stop_listed_widget_request_is_201_and_stored_as_spam(app, tenant_a):
    site = Site(tenant_a).allow()
    tenant_a.call("PUT", "/stop-list", {"domains": ["spam.example"]})
    response = site.post({"email": "bot@spam.example"})
    assert response.status_code == 201
    complete_requests(app)  # the event that names the entry comes with the completion
    body = response.get_json()
    assert body["number"] == 1 and body["status_url"] and body["deferred"] is False
    assert tenant_a.get("/tickets").get_json()["items"] == []
    [held] = tenant_a.get("/tickets?spam=true").get_json()["items"]
    assert held["number"] == 1 and held["spam"] is True and held["deferred"] is False
    assert tenant_a.get("/tenant").get_json()["usage"]["tickets_today"] == 0  # no quota used
    [event] = tenant_a.get("/events?action=ticket.held_as_spam").get_json()["items"]
    assert event["data"] == {"number": 1, "kind": "domains", "entry": "spam.example"}


def test_every_channel_is_screened_and_not_spam_brings_it_to_the_inbox(tenant_a):
    tenant_a.call("PUT", "/stop-list", {"words": ["crypto"]})
    held = new_ticket(tenant_a, subject="Crypto offer")
    assert held["spam"] is True
    clean = new_ticket(tenant_a, subject="Printer")
    assert [t["number"] for t in tenant_a.get("/tickets").get_json()["items"]] == [
        clean["number"]]
    restored = tenant_a.post(f"/tickets/{held['number']}/not-spam")
    assert restored.status_code == 200
    assert restored.get_json()["spam"] is False
    assert {t["number"] for t in tenant_a.get("/tickets").get_json()["items"]} == {
        held["number"], clean["number"]}
    assert tenant_a.get("/tickets?spam=true").get_json()["items"] == []
    assert tenant_a.get("/tenant").get_json()["usage"]["tickets_today"] == 2
    again = tenant_a.post(f"/tickets/{held['number']}/not-spam")
    assert again.status_code == 200  # nothing to do twice
    actions = [e["action"] for e in tenant_a.get(
        f"/tickets/{held['number']}/events").get_json()["items"]]
    assert actions.count("ticket.not_spam") == 1


def test_not_spam_needs_the_reply_right_and_the_ticket_in_sight(app, tenant_a, client):
    make_pro(app, tenant_a)
    billing = department(tenant_a, "Billing")
    tenant_a.call("PUT", "/stop-list", {"words": ["crypto"]})
    number = new_ticket(tenant_a, subject="Crypto", department_id=billing)["number"]
    viewer, _ = add_staff(tenant_a, client, access={billing: "view"}, name="Vera Viewer")
    outsider, _ = add_staff(tenant_a, client, name="Otto Outsider")
    assert viewer.post(f"/tickets/{number}/not-spam").status_code == 403
    assert outsider.post(f"/tickets/{number}/not-spam").status_code == 404
    assert tenant_a.post("/tickets/999/not-spam").status_code == 404


def test_restored_over_the_daily_limit_it_waits_like_any_other(tenant_a):
    tenant_a.call("PUT", "/stop-list", {"words": ["crypto"]})
    held = new_ticket(tenant_a, subject="Crypto")
    for n in range(10):
        new_ticket(tenant_a, subject=f"Real {n}")
    restored = tenant_a.post(f"/tickets/{held['number']}/not-spam").get_json()
    assert restored["spam"] is False and restored["deferred"] is True


def test_the_spam_view_page_and_the_not_spam_button(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    api.call("PUT", "/stop-list", {"addresses": ["bot@spam.example"]})
    number = new_ticket(api, subject="Cheap pills",
                        requester={"email": "bot@spam.example"})["number"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": "Correct-horse-42"})
    inbox = client.get("/app/tickets/").get_data(as_text=True)
    assert "Cheap pills" not in inbox
    spam_view = client.get("/app/tickets/?view=spam").get_data(as_text=True)
    assert "Cheap pills" in spam_view
    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    assert 'data-testid="spam-notice"' in page and "bot@spam.example is on the stop list" in page
    moved = client.post(f"/app/tickets/{number}/not-spam")
    assert moved.status_code == 302
    assert "Cheap pills" in client.get("/app/tickets/").get_data(as_text=True)
    lists = client.get("/app/stop-list/")
    assert lists.status_code == 200 and "bot@spam.example" in lists.get_data(as_text=True)
    saved = client.post("/app/stop-list/", data={"addresses": "", "domains": "spam.example\n",
                                                "words": "casino"})
    assert saved.status_code == 302
    assert api.get("/stop-list").get_json() == {"addresses": [], "domains": ["spam.example"],
                                                "words": ["casino"]}
    refused = client.post("/app/stop-list/", data={"domains": "no dot", "addresses": "",
                                                  "words": ""})
    assert "is not a domain" in refused.get_data(as_text=True)
