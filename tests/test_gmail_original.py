"""Imported letters are kept as they came: "show original" (headers, the letter in a
sandboxed frame with a strict CSP), the .eml download byte for byte, the API's download;
only staff who see the ticket reach them, another tenant gets 404; a letter over the
tenant's file limit keeps its headers only; the original goes with its ticket."""
import re
import textwrap

import pytest
from sqlalchemy import delete, event, func, select

from app.extensions import db
from app.mailbox.models import Original
from app.tickets.models import Message, Ticket
from tests.gmail_letters import SCRIPTED, html_letter, login, png
from tests.gmail_support import (
    connect,
    fake_google,
    letter,
    sync_now,
    tenant_of,
    with_gmail_addon,
)
from tests.sqlite_support import prelude, run_on_sqlite
from tests.test_tickets_support import add_staff, department, make_pro

BOX = "support@shop.example"
LETTER_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              "frame-ancestors 'self'")


@pytest.fixture
def google(app, monkeypatch):
    yield from fake_google(app, monkeypatch)


def _customer_messages(api, number: int) -> list[int]:
    ticket = api.get(f"/tickets/{number}").get_json()
    return [m["id"] for m in ticket["messages"] if m["author"]["kind"] == "customer"]


def _page(number: int, message_id: int, tail: str = "") -> str:
    return f"/app/tickets/{number}/messages/{message_id}/original{tail}"


def test_original_is_kept_shown_sandboxed_and_downloaded_byte_for_byte(
        app, client, tenant_a, google):
    raw = html_letter(html=SCRIPTED, images={"logo@client.example": png()},
                      subject="Logo <b>broken</b>")
    google.deliver(BOX, raw)
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    [message_id] = _customer_messages(tenant_a, 1)
    login(client, tenant_a)

    ticket_page = client.get("/app/tickets/1").get_data(as_text=True)
    assert f'href="{_page(1, message_id)}"' in ticket_page

    page = client.get(_page(1, message_id))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    headers = re.search(r'data-testid="original-headers">(.*?)</dl>', text, re.S).group(1)
    for name in ("From", "To", "Cc", "Date", "Subject", "Message-ID"):
        assert f"<dt>{name}</dt>" in headers
    assert "jane@client.example" in headers and "Logo &lt;b&gt;broken&lt;/b&gt;" in headers
    frame = re.search(r"<iframe[^>]*>", text).group(0)
    assert 'sandbox=""' in frame and "allow-" not in frame
    assert f'src="{_page(1, message_id, "/letter")}"' in frame
    assert "remote images" in text

    shown = client.get(_page(1, message_id, "/letter"))
    assert shown.status_code == 200 and shown.mimetype == "text/html"
    assert shown.headers["Content-Security-Policy"] == LETTER_CSP
    assert "X-Frame-Options" not in shown.headers
    body = shown.get_data(as_text=True)
    assert "Hello from the letter" in body and "<script>" in body  # as it came, sandboxed
    assert 'src="data:image/png;base64,' in body and "cid:" not in body

    eml = client.get(_page(1, message_id, ".eml"))
    assert eml.status_code == 200 and eml.mimetype == "message/rfc822"
    assert eml.headers["Content-Disposition"].startswith("attachment")
    assert eml.get_data() == raw

    api_eml = tenant_a.get(f"/tickets/1/messages/{message_id}/original")
    assert api_eml.status_code == 200 and api_eml.mimetype == "message/rfc822"
    assert api_eml.get_data() == raw


def test_a_reply_into_a_ticket_keeps_its_original_and_a_typed_message_has_none(
        app, client, tenant_a, google):
    google.deliver(BOX, letter(subject="Printer", message_id="<first@client.example>"))
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    reply = letter(subject="Re: Printer", body="Still broken.",
                   headers={"In-Reply-To": "<first@client.example>"})
    google.deliver(BOX, reply)
    assert sync_now(app, tenant_a)["imported"] == 1
    first, second = _customer_messages(tenant_a, 1)
    assert tenant_a.get(f"/tickets/1/messages/{second}/original").get_data() == reply
    typed = tenant_a.post("/tickets", {"subject": "By phone", "body": "Called us",
                                       "requester": {"email": "tom@client.example"}})
    number = typed.get_json()["number"]
    [typed_id] = _customer_messages(tenant_a, number)
    assert tenant_a.get(f"/tickets/{number}/messages/{typed_id}/original").status_code == 404
    # A message of another ticket is not reached through this ticket's number.
    assert tenant_a.get(f"/tickets/{number}/messages/{first}/original").status_code == 404


def test_another_tenant_gets_404_everywhere(app, client, tenant_a, signup, google):
    google.deliver(BOX, letter(subject="Private letter"))
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    [message_id] = _customer_messages(tenant_a, 1)
    assert tenant_a.get(f"/tickets/1/messages/{message_id}/original").status_code == 200
    tenant_b, _ = signup()
    tenant_b.post("/tickets", {"subject": "B's own", "body": "x",
                               "requester": {"email": "b@client.example"}})
    assert tenant_b.get(f"/tickets/1/messages/{message_id}/original").status_code == 404
    login(client, tenant_b)
    for tail in ("", "/letter", ".eml"):
        response = client.get(_page(1, message_id, tail))
        assert response.status_code == 404, tail
        assert b"Private letter" not in response.get_data()


def test_staff_reach_it_only_where_they_see_the_ticket(app, client, tenant_a, google):
    make_pro(app, tenant_a)  # Pro: more staff, and Gmail included
    secret = department(tenant_a, "Secret")
    viewer, _ = add_staff(tenant_a, client, access={secret: "view"}, name="Viewer")
    outsider, _ = add_staff(tenant_a, client, access={}, name="Outsider")
    google.deliver(BOX, letter(subject="For the secret desk"))
    connect(app, client, tenant_a, google)
    [message_id] = _customer_messages(tenant_a, 1)
    assert tenant_a.post("/tickets/1/transfer", {"department_id": secret}).status_code == 200
    path = f"/tickets/1/messages/{message_id}/original"
    assert viewer.get(path).status_code == 200  # the "view" right is enough, as for the ticket
    assert outsider.get(path).status_code == 404


def test_a_letter_over_the_file_limit_keeps_its_headers_only(app, client, tenant_a, google):
    assert tenant_a.patch("/settings/attachments",
                          {"max_file_bytes": 1024}).status_code == 200
    raw = letter(subject="Long story", body="A long story. " * 400)
    google.deliver(BOX, raw)
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    [message_id] = _customer_messages(tenant_a, 1)
    kept = tenant_a.get(f"/tickets/1/messages/{message_id}/original").get_data()
    assert len(raw) > 1024 and raw.startswith(kept) and kept.endswith(b"\n\n")
    assert b"A long story" not in kept and b"Subject: Long story" in kept
    login(client, tenant_a)
    text = client.get(_page(1, message_id)).get_data(as_text=True)
    assert 'data-testid="headers-only"' in text and "<iframe" not in text
    assert "Long story" in text


def test_the_original_goes_with_its_ticket_and_a_batch_writes_in_one_statement(
        app, client, tenant_a, google):
    for n in range(3):
        google.deliver(BOX, letter(subject=f"Batch {n}", sender=f"c{n}@client.example"))
    with_gmail_addon(tenant_a)
    statements = []

    def count(conn, cursor, statement, *args):
        if "INSERT INTO gmail_originals" in statement:
            statements.append(statement)

    with app.app_context():
        engine = db.engines["platform"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        connect(app, client, tenant_a, google)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1  # three letters of one batch, one INSERT
    with tenant_of(app, tenant_a):
        assert db.session.scalar(select(func.count()).select_from(Original)) == 3
        db.session.execute(delete(Ticket).where(Ticket.number == 2))
        db.session.flush()
        kept = db.session.scalars(select(Original.message_id)).all()
        left = db.session.scalars(select(Message.id).where(Message.author_kind == "customer"))
        assert len(kept) == 2 and set(kept) == set(left)


SQLITE = prelude(company="Lite", slug="lite-mail") + textwrap.dedent('''
    from app.extensions import db
    from app.mailbox import original
    from tenants.context import tenant_scope
    from tenants.resolve import tenant_id_by_slug

    number = post("/tickets", {"subject": "By mail", "body": "x",
                               "requester": {"email": "c@client.example"}})["number"]
    message_id = client.get(f"/api/v1/tickets/{number}", headers=auth).get_json()[
        "messages"][0]["id"]
    raw = b"From: c@client.example\\r\\nSubject: By mail\\r\\n\\r\\nx\\r\\n"
    with app.app_context(), tenant_scope(tenant_id_by_slug("lite-mail")):
        original.keep(message_id, raw)
        db.session.commit()
    eml = client.get(f"/api/v1/tickets/{number}/messages/{message_id}/original", headers=auth)
    assert eml.status_code == 200 and eml.data == raw, eml.status_code
    print("originals on sqlite ok")
''')


@pytest.mark.embedded
@pytest.mark.real_commits
def test_originals_on_sqlite(tmp_path):
    assert "originals on sqlite ok" in run_on_sqlite(tmp_path, SQLITE)
