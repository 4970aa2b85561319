"""What an agent sees in the pages: no set-up links, no control that would answer 403, and on a
ticket of a view-only department a line saying why there is no reply box."""
import re

import pytest

from tests.conftest import STRONG_PASSWORD

LINK = re.compile(r'href="(/app/[^"#?]*)')
FORM = re.compile(r'<form[^>]*\bmethod="post"[^>]*>', re.I)
ACTION = re.compile(r'action="([^"]*)"')


@pytest.fixture
def desk(client, signup):
    """An admin, an agent with "reply" in Support and "view" in Billing, a ticket in each."""
    api, body = signup()
    slug = body["tenant"]["slug"]
    support = next(d["id"] for d in api.get("/departments").get_json()["items"])
    billing = api.post("/departments", {"name": "Billing"}).get_json()["id"]
    agent = api.post("/staff", {
        "name": "Alice Agent", "email": "alice@x.example", "password": STRONG_PASSWORD,
        "role": "agent", "departments": [{"id": support, "access": "reply"},
                                         {"id": billing, "access": "view"}]})
    assert agent.status_code == 201, agent.get_json()

    def ticket(department_id: int, subject: str) -> int:
        response = api.post("/tickets", {"subject": subject, "body": "Please help.",
                                         "department_id": department_id,
                                         "requester": {"email": "bob@client.example"}})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["number"]

    return {"api": api, "slug": slug, "admin": f"admin@{slug}.example",
            "agent": "alice@x.example", "agent_id": agent.get_json()["id"],
            "answerable": ticket(support, "Login trouble"),
            "view_only": ticket(billing, "Invoice is wrong")}


def login(client, desk, who: str) -> None:
    client.post("/logout")
    response = client.post(f"/t/{desk['slug']}/login",
                           data={"email": desk[who], "password": STRONG_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def page(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.get_data(as_text=True)


def test_agent_sees_no_links_to_set_up_pages(client, desk):
    login(client, desk, "admin")
    admin_home = page(client, "/app/")
    for address in ("/app/staff/", "/app/departments/", "/app/company/", "/app/billing/"):
        assert f'href="{address}"' in admin_home  # the admin's bar and dashboard have them

    login(client, desk, "agent")
    home = page(client, "/app/")
    for address in ("/app/staff/", "/app/departments/", "/app/company/", "/app/billing/",
                    "/app/events/", "/app/routing/", "/app/sla/", "/app/ticket-settings/"):
        assert f'href="{address}"' not in home, address
    assert "Manage staff" not in home and "Manage departments" not in home
    assert 'href="/app/tickets/"' in home  # the work itself is still there


def test_no_link_or_form_an_agent_is_shown_answers_403(client, desk):
    login(client, desk, "agent")
    start = ["/app/", "/app/tickets/", f"/app/tickets/{desk['answerable']}",
             f"/app/tickets/{desk['view_only']}", "/app/staff/", "/app/departments/",
             "/app/responses/", "/app/customers/", "/app/profile"]
    seen, links, actions = set(), set(), set()
    for address in start:
        html = page(client, address)
        seen.add(address)
        links.update(LINK.findall(html))
        for form in FORM.findall(html):
            found = ACTION.search(form)
            actions.add(found.group(1) if found else address)
    assert len(links) >= 8 and len(actions) >= 5, (links, actions)  # a real walk
    for address in sorted(links - seen):
        assert client.get(address).status_code != 403, address
    # An empty post is refused by a role check before anything else looks at it.
    for action in sorted(actions - {"/logout"}):
        assert client.post(action, data={}).status_code != 403, action


def test_view_only_department_says_why_there_is_no_reply_box(client, desk):
    login(client, desk, "agent")
    view_only = page(client, f"/app/tickets/{desk['view_only']}")
    assert 'data-testid="view-only"' in view_only
    assert "Billing" in view_only and "View" in view_only
    assert 'id="composer"' not in view_only
    assert "/assign" not in view_only and "/transfer" not in view_only

    answerable = page(client, f"/app/tickets/{desk['answerable']}")
    assert 'id="composer"' in answerable
    assert 'data-testid="view-only"' not in answerable


def test_managers_keep_the_staff_and_department_lists(client, desk):
    promoted = desk["api"].patch(f"/staff/{desk['agent_id']}", {"role": "manager"})
    assert promoted.status_code == 200
    login(client, desk, "agent")
    home = page(client, "/app/")
    assert 'href="/app/staff/"' in home and 'href="/app/departments/"' in home
    assert 'href="/app/company/"' not in home
