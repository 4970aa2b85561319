"""Staff login: per-tenant pages, throttling, sessions, remember me, CSRF, roles."""
import re

import pytest

from app import create_app
from app.config import TestConfig
from tests.conftest import STRONG_PASSWORD, Api


def _login(client, slug, email, password=STRONG_PASSWORD, environ_base=None, **extra):
    return client.post(f"/t/{slug}/login", data={"email": email, "password": password} | extra,
                       environ_base=environ_base or {})


@pytest.fixture
def company(signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    return api, slug, f"admin@{slug}.example"


def test_login_and_logout(client, company):
    _, slug, email = company
    response = _login(client, slug, email)
    assert response.status_code == 302 and response.location.endswith("/app/")
    page = client.get("/app/")
    assert page.status_code == 200
    assert "200" in page.get_data(as_text=True)
    client.post("/logout")
    assert client.get("/app/").status_code == 302  # back to the login page


def test_wrong_password_shows_error_and_is_logged(client, company):
    api, slug, email = company
    response = _login(client, slug, email, password="Wrong-password-1")
    assert response.status_code == 200
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    actions = [e["action"] for e in api.get("/events?action=login.failed").get_json()["items"]]
    assert actions == ["login.failed"]


def test_wrong_passwords_slow_down_their_address_not_the_account(client, company):
    api, slug, email = company
    for _ in range(6):
        _login(client, slug, email, password="Wrong-password-1")
    response = _login(client, slug, email)  # even the right password waits, from here
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert "Too many wrong passwords from here. Try again in 1 second." in \
        response.get_data(as_text=True)
    assert client.get("/app/").status_code == 302
    assert api.get("/events?action=login.throttled").get_json()["items"]
    elsewhere = _login(client, slug, email, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert elsewhere.status_code == 302  # the account itself is not locked


def test_shared_login_page_asks_for_the_company(client, company):
    _, slug, _ = company
    response = client.post("/login", data={"slug": slug})
    assert response.status_code == 302 and response.location.endswith(f"/t/{slug}/login")
    unknown = client.post("/login", data={"slug": "no-such-company"})
    assert "No company with this address" in unknown.get_data(as_text=True)


def test_same_email_is_staff_in_two_tenants(client, signup):
    api_a, body_a = signup()
    _, body_b = signup()
    shared = "both@example.org"
    for api, password in ((api_a, STRONG_PASSWORD), (Api(client, body_b["token"]),
                                                     "Another-strong-pass-7")):
        assert api.post("/staff", {"name": "Both", "email": shared, "password": password,
                                   "role": "agent"}).status_code == 201
    assert _login(client, body_a["tenant"]["slug"], shared).status_code == 302
    client.post("/logout")
    # tenant A's password does not open tenant B
    response = _login(client, body_b["tenant"]["slug"], shared)
    assert response.status_code == 200
    assert _login(client, body_b["tenant"]["slug"], shared,
                  password="Another-strong-pass-7").status_code == 302


def test_login_starts_a_new_session_and_sets_safe_cookies(client, company):
    _, slug, email = company
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    response = _login(client, slug, email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_csrf_is_required_on_forms(company):
    _, slug, email = company
    app = create_app(TestConfig(WTF_CSRF_ENABLED=True))
    client = app.test_client()
    response = _login(client, slug, email)
    assert response.status_code == 400
    page = client.get(f"/t/{slug}/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert _login(client, slug, email, csrf_token=token).status_code == 302


def test_agent_gets_403_on_admin_endpoints_and_pages(client, company):
    api, slug, _ = company
    api.post("/staff", {"name": "Agent", "email": "agent@x.example", "password": STRONG_PASSWORD,
                        "role": "agent"})
    token = client.post("/api/v1/tokens", json={"tenant": slug, "email": "agent@x.example",
                                                 "password": STRONG_PASSWORD}).get_json()["token"]
    agent = Api(client, token)
    response = agent.post("/departments", {"name": "Nope"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert agent.get("/events").status_code == 403
    assert agent.get("/departments").status_code == 200
    _login(client, slug, "agent@x.example")
    assert client.get("/app/events/").status_code == 403
    staff_id = api.get("/staff").get_json()["items"][0]["id"]
    assert client.get(f"/app/staff/{staff_id}").status_code == 403
