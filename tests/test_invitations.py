"""Inviting staff by e-mail: the letter, the link, choosing a password, expiry."""
import re

import time_machine
from rq import Queue, SimpleWorker

from tests.conftest import STRONG_PASSWORD
from tests.fakes.smtp_server import FakeSMTP


def _deliver_mail(app, smtp):
    app.config["SMTP_URL"] = smtp.url
    try:
        with app.app_context():
            redis = app.extensions["redis"]
            SimpleWorker([Queue("mail", connection=redis)], connection=redis).work(burst=True)
    finally:
        app.config["SMTP_URL"] = ""


def _invite(app, api, smtp, email="new@x.example"):
    response = api.post("/staff", {"name": "New Person", "email": email, "role": "agent"})
    assert response.status_code == 201, response.get_json()
    _deliver_mail(app, smtp)
    body = smtp.messages[-1]["message"].get_body(("plain",)).get_content()
    return response.get_json(), re.search(r"(/invite/[\w-]+)", body).group(1)


def test_invited_person_chooses_a_password_and_logs_in(app, client, tenant_a):
    slug = tenant_a.get("/tenant").get_json()["slug"]
    with FakeSMTP() as smtp:
        member, link = _invite(app, tenant_a, smtp)
    assert smtp.messages[-1]["to"] == ["new@x.example"]
    # no password yet: logging in is impossible
    refused = client.post(f"/t/{slug}/login", data={"email": "new@x.example", "password": "!"})
    assert refused.status_code == 200
    assert "New Person" in client.get(link).get_data(as_text=True)
    mismatch = client.post(link, data={"password": STRONG_PASSWORD, "confirm": "other"})
    assert "The passwords differ" in mismatch.get_data(as_text=True)
    weak = client.post(link, data={"password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert "too common" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/app/")
    assert client.get("/app/").status_code == 200
    assert client.get(link).status_code == 404  # used once
    actions = {e["action"] for e in tenant_a.get("/events?action=staff.").get_json()["items"]}
    assert {"staff.invited", "staff.invitation_accepted"} <= actions


def test_resent_invitation_replaces_the_old_link(app, client, tenant_a):
    with FakeSMTP() as smtp:
        member, first = _invite(app, tenant_a, smtp)
        assert tenant_a.post(f"/staff/{member['id']}/invitation").status_code == 204
        _deliver_mail(app, smtp)
        second = re.search(r"(/invite/[\w-]+)",
                           smtp.messages[-1]["message"].get_body(("plain",)).get_content()).group(1)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_invitation_expires_after_seven_days(app, client, tenant_a):
    with FakeSMTP() as smtp:
        _, link = _invite(app, tenant_a, smtp)
    with time_machine.travel("2099-01-01"):
        assert client.get(link).status_code == 404
    assert client.get("/invite/not-a-real-token").status_code == 404
