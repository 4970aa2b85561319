"""Connecting Gmail through the real consent flow (google-auth-oauthlib against the fake
Google): PKCE, a state kept server-side and used once, the token stored encrypted, the first
sync started; a wrong, expired or reused state is a 400 and stores nothing; disconnecting
revokes the token at Google."""
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.mailbox.models import ConsentState, Mailbox
from tests.conftest import Api
from tests.gmail_support import (
    connect,
    fake_google,
    letter,
    log_of,
    mailbox_of,
    run_jobs,
    tenant_of,
    tickets_of,
    with_gmail_addon,
)


@pytest.fixture
def google(app, monkeypatch):
    yield from fake_google(app, monkeypatch)



def _counts(app, api) -> tuple[int, int]:
    with tenant_of(app, api):
        return (db.session.scalar(select(func.count()).select_from(Mailbox)),
                db.session.scalar(select(func.count()).select_from(ConsentState)))


def test_connect_end_to_end_imports_the_inbox(app, client, tenant_a, google):
    with_gmail_addon(tenant_a)
    google.deliver("support@shop.example", letter(subject="First"))
    google.deliver("support@shop.example", letter(subject="Second", sender="bob@b.example"))
    started = tenant_a.post("/integrations/gmail", {})
    assert started.status_code == 201
    query = parse_qs(urlparse(started.get_json()["authorize_url"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["access_type"] == ["offline"]
    assert query["scope"] == ["https://www.googleapis.com/auth/gmail.modify"]
    back = google.consent(started.get_json()["authorize_url"], "support@shop.example")
    other = client.__class__(app)  # the callback needs no session cookie
    response = other.get(back.removeprefix(app.config["BASE_URL"]))
    assert response.status_code == 302 and "/app/integrations/gmail/" in response.location
    box = mailbox_of(app, tenant_a)
    assert box["email"] == "support@shop.example" and box["status"] == "connected"
    stored = box["refresh_token"]
    assert stored and not any(token in stored for token in google.refresh)  # encrypted
    assert _counts(app, tenant_a) == (1, 0)  # the state is used up
    run_jobs(app, "default")
    assert sorted(t.subject for t in tickets_of(app, tenant_a)) == ["First", "Second"]
    state = tenant_a.get("/integrations/gmail").get_json()
    assert state["connected"] and state["imported"] == 2 and state["progress"] is None
    assert state["email"] == "support@shop.example" and state["last_sync_at"]
    assert {e.status for e in log_of(app, tenant_a)} == {"imported"}


def test_bad_expired_and_reused_states_are_400_and_store_nothing(app, client, tenant_a,
                                                                 google):
    with_gmail_addon(tenant_a)
    assert client.get("/integrations/gmail/callback?state=forged&code=x").status_code == 400
    assert client.get("/integrations/gmail/callback").status_code == 400
    url = tenant_a.post("/integrations/gmail", {}).get_json()["authorize_url"]
    back = google.consent(url, "support@shop.example").removeprefix(app.config["BASE_URL"])
    with time_machine.travel(timedelta(minutes=11), tick=False):
        assert client.get(back).status_code == 400  # expired
    assert _counts(app, tenant_a) == (0, 0)
    assert client.get(back).status_code == 400  # and used up by that attempt
    url = tenant_a.post("/integrations/gmail", {}).get_json()["authorize_url"]
    back = google.consent(url, "support@shop.example").removeprefix(app.config["BASE_URL"])
    assert client.get(back).status_code == 302
    assert client.get(back).status_code == 400  # reused
    assert _counts(app, tenant_a) == (1, 0)


def test_a_code_from_another_consent_fails_the_pkce_check(app, client, tenant_a, google):
    with_gmail_addon(tenant_a)
    first = tenant_a.post("/integrations/gmail", {}).get_json()["authorize_url"]
    second = tenant_a.post("/integrations/gmail", {}).get_json()["authorize_url"]
    state = parse_qs(urlparse(first).query)["state"][0]
    code = parse_qs(urlparse(google.consent(second, "x@shop.example")).query)["code"][0]
    response = client.get(f"/integrations/gmail/callback?state={state}&code={code}")
    assert response.status_code == 400
    assert _counts(app, tenant_a) == (0, 1)  # only the second consent waits


def test_declined_consent_is_400(app, client, tenant_a, google):
    with_gmail_addon(tenant_a)
    url = tenant_a.post("/integrations/gmail", {}).get_json()["authorize_url"]
    state = parse_qs(urlparse(url).query)["state"][0]
    response = client.get(f"/integrations/gmail/callback?state={state}&error=access_denied")
    assert response.status_code == 400 and _counts(app, tenant_a) == (0, 0)


def test_gmail_is_an_add_on_and_admins_only(app, client, tenant_a, google):
    refused = tenant_a.post("/integrations/gmail", {})
    assert refused.status_code == 402 and refused.get_json()["error"]["code"] == "plan_limit"
    with_gmail_addon(tenant_a)
    agent = tenant_a.post("/staff", {"name": "Agent", "email": "agent@x.example",
                                     "role": "agent", "password": "Correct-horse-42"})
    assert agent.status_code == 201
    token = Api(client).post("/tokens", {"tenant": tenant_a.get("/tenant").get_json()["slug"],
                                         "email": "agent@x.example",
                                         "password": "Correct-horse-42"})
    agent_api = Api(client, token.get_json()["token"])
    assert agent_api.post("/integrations/gmail", {}).status_code == 403
    assert agent_api.get("/integrations/gmail/log").status_code == 403


def test_disconnect_revokes_and_deletes_the_token(app, client, tenant_a, google):
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    live = set(google.refresh)
    assert tenant_a.delete("/integrations/gmail").status_code == 204
    run_jobs(app, "default")
    assert set(google.revoked) == live and not google.refresh
    box = mailbox_of(app, tenant_a)
    assert box["refresh_token"] is None and box["status"] == "disconnected"
    assert tenant_a.get("/integrations/gmail").get_json()["connected"] is False
    assert tenant_a.delete("/integrations/gmail").status_code == 404


def test_settings_page_shows_the_mailbox_and_its_figures(app, client, signup, google):
    api, body = signup()
    with_gmail_addon(api)
    google.deliver("support@shop.example", letter())
    connect(app, client, api, google)
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": "Correct-horse-42"})
    page = client.get("/app/integrations/gmail/").get_data(as_text=True)
    assert "support@shop.example" in page and 'data-testid="gmail-imported">1<' in page
    log = client.get("/app/integrations/gmail/log").get_data(as_text=True)
    assert "The printer is on fire" in log and "#1" in log
