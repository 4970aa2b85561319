"""Outgoing mail through a real SMTP conversation with a local server."""
import pytest
from rq import Queue, SimpleWorker

from app.extensions import db
from integrations.mail.outbox import send_mail
from integrations.mail.sender import MailConfigError, parse_smtp_url
from tenants.resolve import tenant_id_by_slug
from tests.fakes.smtp_server import FakeSMTP


def test_parse_smtp_url():
    assert parse_smtp_url("smtps://u%40x:p%3Bw@mail.example:465") == {
        "ssl": True, "host": "mail.example", "port": 465, "user": "u@x", "password": "p;w",
        "starttls": False}
    assert parse_smtp_url("smtp://mail.example?starttls=1")["starttls"] is True
    with pytest.raises(MailConfigError):
        parse_smtp_url("http://mail.example")


def test_letter_is_queued_then_delivered_over_smtp(app, tenant_a):
    with app.app_context():
        tenant_id = tenant_id_by_slug(tenant_a.get("/tenant").get_json()["slug"])
        with FakeSMTP() as smtp:
            app.config["SMTP_URL"] = smtp.url
            try:
                send_mail(tenant_id=tenant_id, to=["customer@x.example"], subject="Привет",
                          text="Plain body", html="<p>HTML body</p>", kind="test")
                redis = app.extensions["redis"]
                assert Queue("mail", connection=redis).count == 0  # queued at commit, not before
                db.session.commit()
                assert smtp.messages == []  # nothing leaves inside the request
                SimpleWorker([Queue("mail", connection=redis)], connection=redis).work(burst=True)
            finally:
                app.config["SMTP_URL"] = ""
        db.session.remove()
    assert len(smtp.messages) == 1
    letter = smtp.messages[0]
    assert letter["to"] == ["customer@x.example"]
    assert letter["message"]["Subject"] == "Привет"
    assert letter["message"].get_body(("plain",)).get_content().strip() == "Plain body"
    assert "HTML body" in letter["message"].get_body(("html",)).get_content()
    events = tenant_a.get("/events?action=mail.sent").get_json()["items"]
    assert events and events[0]["data"]["to"] == ["customer@x.example"]


def test_without_smtp_url_letters_go_to_the_outbox(app, tenant_a, tmp_path):
    from integrations.mail.sender import build_message, deliver

    with app.test_request_context():
        app.instance_path, old = str(tmp_path), app.instance_path
        try:
            where = deliver(build_message(to=["a@x.example"], subject="S", text="T"))
        finally:
            app.instance_path = old
    assert where.startswith(str(tmp_path / "outbox")) and where.endswith(".eml")
