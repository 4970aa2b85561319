"""The "add a staff member" page asks which departments a new agent gets and gives them
in the same request, for a password and for an invitation alike."""
import re

import pytest

from tests.conftest import STRONG_PASSWORD


@pytest.fixture
def office(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    support = next(d["id"] for d in api.get("/departments").get_json()["items"])
    return api, support


def selected_level(html: str, department_id: int) -> str:
    select = re.search(rf'<select name="access-{department_id}">(.*?)</select>', html, re.S)
    chosen = re.search(r'<option value="(\w*)"\s+selected', select.group(1))
    return chosen.group(1) if chosen else ""


def rights_of(api, email: str) -> list[dict]:
    member = next(s for s in api.get("/staff").get_json()["items"] if s["email"] == email)
    return member["departments"]


def test_fresh_form_offers_reply_in_the_first_department(client, office):
    api, support = office
    html = client.get("/app/staff/").get_data(as_text=True)
    assert selected_level(html, support) == "reply"
    assert "admins and managers see every department" in html


def test_agent_without_a_department_is_asked_for_one(client, office):
    api, support = office
    response = client.post("/app/staff/", data={
        "name": "Nadia None", "email": "nadia@x.example", "role": "agent",
        "password": STRONG_PASSWORD, f"access-{support}": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Choose at least one department" in html
    assert selected_level(html, support) == ""  # what was chosen is shown back, not reset
    assert 'value="Nadia None"' in html
    assert "nadia@x.example" not in [s["email"] for s in api.get("/staff").get_json()["items"]]


def test_invited_agent_gets_the_chosen_rights_at_once(client, office):
    api, support = office
    billing = api.post("/departments", {"name": "Billing"}).get_json()["id"]
    response = client.post("/app/staff/", data={
        "name": "Ivy Invited", "email": "ivy@x.example", "role": "agent",
        f"access-{support}": "view", f"access-{billing}": "manage"})
    assert response.status_code == 302
    assert sorted(rights_of(api, "ivy@x.example"), key=lambda r: r["id"]) == [
        {"id": support, "access": "view"}, {"id": billing, "access": "manage"}]


def test_a_manager_needs_no_department(client, office):
    api, _ = office
    response = client.post("/app/staff/", data={
        "name": "Mo Manager", "email": "mo@x.example", "role": "manager",
        "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert rights_of(api, "mo@x.example") == []
