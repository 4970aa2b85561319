"""Login sessions the server can end: logout, password changes and "sign out everywhere"
end every copy of the cookies; removal and role changes apply on the next request."""
from datetime import UTC, datetime, timedelta

import time_machine

from tests.conftest import STRONG_PASSWORD, Api

AGENT = "agent@sessions.example"
NEW_PASSWORD = "Brand-new-secret-77"


def _login(client, slug, email, password=STRONG_PASSWORD, **extra):
    response = client.post(f"/t/{slug}/login", data={"email": email, "password": password}
                           | extra)
    assert response.status_code == 302, "could not log in"
    return response


def _signed_in(client) -> bool:
    return client.get("/app/").status_code == 200


def _copy(app, client, *names):
    """A second browser holding copies of ``client``'s cookies ``names``."""
    other = app.test_client()
    for name in names:
        other.set_cookie(name, client.get_cookie(name).value)
    return other


def _company(signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    return api, slug, f"admin@{slug}.example"


def _agent(api, role="agent") -> int:
    response = api.post("/staff", {"name": "Agnes Agent", "email": AGENT,
                                   "password": STRONG_PASSWORD, "role": role})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_copied_session_cookie_stops_working_after_logout(app, client, signup):
    _, slug, email = _company(signup)
    _login(client, slug, email)
    thief = _copy(app, client, "session")
    assert _signed_in(thief)
    client.post("/logout")
    assert not _signed_in(client)
    assert not _signed_in(thief)


def test_copied_remember_cookie_stops_working_after_logout(app, client, signup):
    _, slug, email = _company(signup)
    _login(client, slug, email, remember="y")
    thief = _copy(app, client, "remember_token")
    remember = client.get_cookie("remember_token").value
    assert _signed_in(thief)  # the remember-me cookie alone signs in …
    client.post("/logout")
    assert not _signed_in(thief)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert not _signed_in(fresh)  # … until its session is ended


def test_logout_ends_only_that_session(app, signup):
    _, slug, email = _company(signup)
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop, slug, email)
    _login(phone, slug, email)
    laptop.post("/logout")
    assert not _signed_in(laptop)
    assert _signed_in(phone)


def test_password_change_by_an_admin_ends_every_session(app, client, signup):
    api, slug, _ = _company(signup)
    agent_id = _agent(api)
    _login(client, slug, AGENT, remember="y")
    session_copy = _copy(app, client, "session")
    remember_copy = _copy(app, client, "remember_token")
    response = api.patch(f"/staff/{agent_id}", {"password": NEW_PASSWORD})
    assert response.status_code == 200
    assert not _signed_in(client)
    assert not _signed_in(session_copy)
    assert not _signed_in(remember_copy)
    events = api.get("/events?action=staff.password_changed").get_json()["items"]
    assert events[0]["data"]["sessions_ended"] == 1


def test_own_password_change_keeps_this_browser_and_ends_the_others(app, signup):
    _, slug, email = _company(signup)
    here, elsewhere = app.test_client(), app.test_client()
    _login(elsewhere, slug, email, remember="y")
    _login(here, slug, email)
    stolen = _copy(app, elsewhere, "remember_token")
    saved = here.post("/app/profile", data={"name": "Ada Admin", "language": "",
                                            "password": NEW_PASSWORD})
    assert saved.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    assert not _signed_in(stolen)


def test_admin_signs_a_staff_member_out_everywhere(app, client, signup):
    api, slug, email = _company(signup)
    agent_id = _agent(api)
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop, slug, AGENT)
    _login(phone, slug, AGENT, remember="y")
    _login(client, slug, email)
    edit_page = client.get(f"/app/staff/{agent_id}").get_data(as_text=True)
    assert f"/app/staff/{agent_id}/sign-out-everywhere" in edit_page
    done = client.post(f"/app/staff/{agent_id}/sign-out-everywhere")
    assert done.status_code == 302
    assert not _signed_in(laptop) and not _signed_in(phone)
    assert _signed_in(client)  # the admin's own session is not touched
    event = api.get("/events?action=session.ended_all").get_json()["items"][0]
    assert event["data"] == {"count": 2, "kept_current": False}


def test_an_agent_cannot_sign_others_out(app, client, signup):
    api, slug, email = _company(signup)
    _agent(api)
    admin_id = next(member["id"] for member in api.get("/staff").get_json()["items"]
                    if member["role"] == "admin")
    admin = app.test_client()
    _login(admin, slug, email)
    _login(client, slug, AGENT)
    assert client.post(f"/app/staff/{admin_id}/sign-out-everywhere").status_code == 403
    assert _signed_in(admin)


def test_sign_out_of_all_other_sessions_from_the_profile(app, signup):
    _, slug, email = _company(signup)
    here, elsewhere = app.test_client(), app.test_client()
    _login(elsewhere, slug, email)
    _login(here, slug, email)
    page = here.get("/app/profile").get_data(as_text=True)
    assert "Sign out of all other sessions" in page
    assert here.post("/app/profile/sign-out-others").status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)


def test_removed_staff_member_is_signed_out_on_the_next_request(client, signup):
    api, slug, _ = _company(signup)
    agent_id = _agent(api)
    _login(client, slug, AGENT)
    assert _signed_in(client)
    assert api.delete(f"/staff/{agent_id}").status_code == 204
    assert not _signed_in(client)


def test_deactivation_ends_the_sessions_for_good(app, client, signup):
    api, slug, _ = _company(signup)
    agent_id = _agent(api)
    _login(client, slug, AGENT, remember="y")
    kept = _copy(app, client, "session", "remember_token")
    assert api.patch(f"/staff/{agent_id}", {"active": False}).status_code == 200
    assert not _signed_in(client)
    assert api.patch(f"/staff/{agent_id}", {"active": True}).status_code == 200
    assert not _signed_in(kept)  # coming back does not revive the old cookies


def test_role_change_applies_on_the_next_request(client, signup):
    api, slug, _ = _company(signup)
    agent_id = _agent(api)
    _login(client, slug, AGENT)
    assert client.get("/app/events/").status_code == 403
    assert api.patch(f"/staff/{agent_id}", {"role": "manager"}).status_code == 200
    assert client.get("/app/events/").status_code == 200
    assert api.patch(f"/staff/{agent_id}", {"role": "agent"}).status_code == 200
    assert client.get("/app/events/").status_code == 403


def test_a_login_id_without_an_open_session_is_not_signed_in(app, client, signup):
    api, slug, email = _company(signup)
    _login(client, slug, email)
    with client.session_transaction() as session:
        tenant_id, staff_id, _key = session["_user_id"].split(":")
    for forged in (f"{tenant_id}:{staff_id}", f"{tenant_id}:{staff_id}:made-up-key"):
        other = app.test_client()
        with other.session_transaction() as session:
            session["_user_id"] = forged
            session["_fresh"] = True
        assert not _signed_in(other), forged


def test_a_session_unused_for_a_month_is_over(client, signup):
    _, slug, email = _company(signup)
    _login(client, slug, email, remember="y")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31), tick=False):
        assert not _signed_in(client)


def test_profile_lists_open_sessions_and_tokens_with_last_use(app, client, signup):
    api, slug, email = _company(signup)
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    phone = app.test_client()
    phone.post(f"/t/{slug}/login", data={"email": email, "password": STRONG_PASSWORD},
               headers={"User-Agent": firefox}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    _login(client, slug, email)
    used = api.post("/tokens", {"name": "deploy-script"}).get_json()
    assert Api(client, used["token"]).get("/tenant").status_code == 200
    api.post("/tokens", {"name": "idle-script"})
    revoked = api.post("/tokens", {"name": "old-script"}).get_json()
    api.delete(f"/tokens/{revoked['id']}")

    page = client.get("/app/profile").get_data(as_text=True)
    sessions = page.split('data-testid="sessions"')[1].split('data-testid="tokens"')[0]
    assert "Firefox on Linux" in sessions and "203.0.113.9" in sessions
    assert "this browser" in sessions
    tokens = page.split('data-testid="tokens"')[1]
    deploy_row = tokens.split("deploy-script")[1].split("</tr>")[0]
    idle_row = tokens.split("idle-script")[1].split("</tr>")[0]
    assert "never" not in deploy_row and "never" in idle_row
    assert "old-script" not in tokens
