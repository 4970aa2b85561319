"""Wrong passwords slow down the account from one address (or browser); they never lock the
owner out, and the right password from the owner's known browser always gets in."""
from datetime import UTC, datetime, timedelta

import time_machine

from app.auth import throttle
from tests.conftest import STRONG_PASSWORD

WRONG = "Wrong-password-1"
OFFICE = {"REMOTE_ADDR": "192.0.2.10"}
STRANGER = {"REMOTE_ADDR": "198.51.100.66"}


def _company(signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    return api, slug, f"admin@{slug}.example"


def _login(client, slug, email, password=STRONG_PASSWORD, where=OFFICE):
    return client.post(f"/t/{slug}/login", data={"email": email, "password": password},
                       environ_base=dict(where))


def _token(client, slug, email, password=STRONG_PASSWORD, where=OFFICE):
    return client.post("/api/v1/tokens", json={"tenant": slug, "email": email,
                                               "password": password},
                       environ_base=dict(where))


def _hammer(client, slug, email, times, where):
    for _ in range(times):
        response = _login(client, slug, email, WRONG, where)
        assert response.status_code in (200, 429)


def test_a_strangers_guesses_from_elsewhere_do_not_touch_the_owner(app, signup):
    _, slug, email = _company(signup)
    _hammer(app.test_client(), slug, email, 12, STRANGER)
    assert _login(app.test_client(), slug, email, where=STRANGER).status_code == 429
    assert _login(app.test_client(), slug, email, where=OFFICE).status_code == 302


def test_the_owners_known_browser_gets_in_while_the_address_is_throttled(app, signup):
    _, slug, email = _company(signup)
    owner = app.test_client()
    assert _login(owner, slug, email).status_code == 302
    assert owner.get_cookie("known_device") is not None
    owner.post("/logout")
    # Someone behind the same office address guesses the owner's password.
    _hammer(app.test_client(), slug, email, 12, OFFICE)
    unknown_browser = app.test_client()
    held = _login(unknown_browser, slug, email)
    assert held.status_code == 429
    assert "Too many wrong passwords from here" in held.get_data(as_text=True)
    assert _login(owner, slug, email).status_code == 302
    assert owner.get("/app/", environ_base=dict(OFFICE)).status_code == 200


def test_a_known_browser_is_throttled_for_its_own_wrong_passwords(app, signup):
    _, slug, email = _company(signup)
    browser = app.test_client()
    assert _login(browser, slug, email).status_code == 302
    browser.post("/logout")
    _hammer(browser, slug, email, throttle.FREE_TRIES + 1, OFFICE)
    assert _login(browser, slug, email).status_code == 429
    # … under its own counter: the address is not throttled for other browsers.
    assert _login(app.test_client(), slug, email).status_code == 302


def test_a_known_browser_of_another_account_does_not_help(app, signup):
    api, slug, email = _company(signup)
    api.post("/staff", {"name": "Mallory", "email": "mallory@x.example",
                        "password": STRONG_PASSWORD, "role": "agent"})
    mallory = app.test_client()
    assert _login(mallory, slug, "mallory@x.example").status_code == 302
    mallory.post("/logout")
    _hammer(mallory, slug, email, 12, OFFICE)
    assert _login(mallory, slug, email).status_code == 429


def test_the_delay_grows_and_then_lets_the_right_password_in(app, client, signup):
    api, slug, email = _company(signup)
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        for _ in range(throttle.FREE_TRIES):
            page = _login(client, slug, email, WRONG)
            assert "Wrong e-mail or password" in page.get_data(as_text=True)
        waits = []
        for _ in range(4):
            assert _login(client, slug, email, WRONG).status_code == 200
            held = _login(client, slug, email)  # the right password must wait too
            assert held.status_code == 429
            text = held.get_data(as_text=True)
            waits.append(next(n for n in (1, 2, 4, 8) if f"in {n} second" in text))
            clock.shift(timedelta(seconds=waits[-1]))
        assert waits == [1, 2, 4, 8]
        assert _login(client, slug, email).status_code == 302
    failed = api.get("/events?action=login.failed").get_json()["items"]
    assert len(failed) == throttle.FREE_TRIES + 4


def test_the_delay_is_capped():
    assert throttle.delay_after(throttle.FREE_TRIES) == 0
    assert throttle.delay_after(throttle.FREE_TRIES + 1) == 1
    assert throttle.delay_after(throttle.FREE_TRIES + 40) == throttle.MAX_DELAY


def test_api_token_requests_are_throttled_with_429_and_retry_after(app, client, signup):
    api, slug, email = _company(signup)
    for _ in range(throttle.FREE_TRIES + 1):
        assert _token(client, slug, email, WRONG).status_code == 401
    held = _token(client, slug, email)
    assert held.status_code == 429
    assert int(held.headers["Retry-After"]) >= 1
    assert held.get_json()["error"]["code"] == "rate_limited"
    # the failures and the held-back attempt stay in the event log although each failed
    assert len(api.get("/events?action=login.failed").get_json()["items"]) == \
        throttle.FREE_TRIES + 1
    assert api.get("/events?action=login.throttled").get_json()["items"]
    assert _token(client, slug, email, where=STRANGER).status_code == 201
