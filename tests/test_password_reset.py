"""Forgot password: the same answer for any address, a one-time link valid an hour, sent
after commit; using it sets the password and signs out every session."""
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rq import Queue

from app import unit_of_work
from tests.conftest import STRONG_PASSWORD
from tests.fakes.smtp_server import FakeSMTP
from tests.test_invitations import _deliver_mail

NEW_PASSWORD = "Fresh-start-password-5"
ANSWER = "If the address belongs to a staff member, a link is on its way."


def _company(signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    return api, slug, f"admin@{slug}.example"


def _forgot(client, slug, email):
    return client.post(f"/t/{slug}/forgot-password", data={"email": email})


def _queued(app) -> int:
    with app.app_context():
        return Queue("mail", connection=app.extensions["redis"]).count


def _link(app, client, slug, email) -> str:
    with FakeSMTP() as smtp:
        assert _forgot(client, slug, email).status_code == 302
        _deliver_mail(app, smtp)
    letter = smtp.messages[-1]
    assert letter["to"] == [email]
    body = letter["message"].get_body(("plain",)).get_content()
    return re.search(r"(/password-reset/[\w-]+)", body).group(1)


def _signed_in(client) -> bool:
    return client.get("/app/").status_code == 200


def test_login_page_links_to_the_form(client, signup):
    _, slug, _ = _company(signup)
    page = client.get(f"/t/{slug}/login").get_data(as_text=True)
    assert f'href="/t/{slug}/forgot-password"' in page
    assert client.get(f"/t/{slug}/forgot-password").status_code == 200


def test_the_same_answer_whether_or_not_the_address_is_staff(app, client, signup):
    _, slug, email = _company(signup)
    known = _forgot(client, slug, email)
    known_page = client.get(known.location).get_data(as_text=True)
    unknown = _forgot(client, slug, "nobody@nowhere.example")
    unknown_page = client.get(unknown.location).get_data(as_text=True)
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    assert ANSWER in known_page and ANSWER in unknown_page
    assert _queued(app) == 1  # only the staff member gets a letter


def test_nothing_is_sent_when_the_request_fails_to_commit(app, client, signup, monkeypatch):
    _, slug, email = _company(signup)

    def failing_commit():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(unit_of_work, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        _forgot(client, slug, email)
    assert _queued(app) == 0
    monkeypatch.undo()
    _forgot(client, slug, email)
    assert _queued(app) == 1


def test_link_sets_a_new_password_once_and_signs_out_every_session(app, client, signup):
    api, slug, email = _company(signup)
    laptop = app.test_client()
    laptop.post(f"/t/{slug}/login", data={"email": email, "password": STRONG_PASSWORD,
                                          "remember": "y"})
    remembered = app.test_client()
    remembered.set_cookie("remember_token", laptop.get_cookie("remember_token").value)
    assert _signed_in(laptop) and _signed_in(remembered)

    link = _link(app, client, slug, email)
    form = client.get(link).get_data(as_text=True)
    assert email in form and 'name="password"' in form
    weak = client.post(link, data={"password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert "too common" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/app/")
    assert _signed_in(client)
    assert not _signed_in(laptop) and not _signed_in(remembered)
    assert client.get(link).status_code == 404  # used once
    again = client.post(link, data={"password": "Another-one-entirely-3",
                                    "confirm": "Another-one-entirely-3"})
    assert again.status_code == 404

    fresh = app.test_client()
    old = fresh.post(f"/t/{slug}/login", data={"email": email, "password": STRONG_PASSWORD})
    assert old.status_code == 200
    new = fresh.post(f"/t/{slug}/login", data={"email": email, "password": NEW_PASSWORD})
    assert new.status_code == 302
    actions = [e["action"] for e in api.get("/events?action=password.").get_json()["items"]]
    assert sorted(actions) == ["password.reset_completed", "password.reset_requested"]


def test_link_expires_after_an_hour(app, client, signup):
    _, slug, email = _company(signup)
    link = _link(app, client, slug, email)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=61), tick=False):
        page = client.get(link)
    assert page.status_code == 404 and 'name="password"' not in page.get_data(as_text=True)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=59), tick=False):
        assert client.get(link).status_code == 200


def test_a_new_request_replaces_the_older_link(app, client, signup):
    _, slug, email = _company(signup)
    first = _link(app, client, slug, email)
    second = _link(app, client, slug, email)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_garbage_token_shows_no_form(client):
    for token in ("not-a-real-token", "x" * 43):
        page = client.get(f"/password-reset/{token}")
        assert page.status_code == 404
        assert 'name="password"' not in page.get_data(as_text=True)


def test_link_opened_in_a_browser_signed_in_to_another_company(app, client, signup):
    _, slug_a, email_a = _company(signup)
    _, slug_b, email_b = _company(signup)
    link = _link(app, app.test_client(), slug_a, email_a)
    client.post(f"/t/{slug_b}/login", data={"email": email_b, "password": STRONG_PASSWORD})
    page = client.get(link)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Company {slug_a}" in text and email_a in text and email_b not in text
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert f"Company {slug_a}" in client.get("/app/").get_data(as_text=True)


def test_letters_are_limited_per_address_and_requests_per_client(app, client, signup):
    _, slug, email = _company(signup)
    for _ in range(5):
        assert _forgot(client, slug, email).status_code == 302
    assert _queued(app) == 3  # one mailbox is not flooded
    for n in range(5):  # the client's tenth request in an hour is its last
        assert _forgot(client, slug, f"someone{n}@else.example").status_code == 302
    assert _forgot(client, slug, "someone@else.example").status_code == 429
