"""Text as typed: plain text from any channel is escaped once and kept whole; only a body
declared as HTML (the reply box's editor, an e-mail) goes through the sanitizer."""
import re

import pytest
from markupsafe import escape

from app.tickets.sanitize import prepare_body, text_to_html
from tests.conftest import STRONG_PASSWORD
from tests.test_tickets_support import add_staff

TYPED = "a<b and c>d. Use <tab> key."
TYPED_HTML = "<p>a&lt;b and c&gt;d. Use &lt;tab&gt; key.</p>"
SCRIPT = '<script>alert("typed")</script><svg onload=alert(2)>'


@pytest.fixture
def admin(client, signup):
    """A tenant's admin, signed in on ``client`` and holding an API token (``.slug`` set)."""
    api, body = signup()
    api.slug = body["tenant"]["slug"]
    response = client.post(f"/t/{api.slug}/login",
                           data={"email": f"admin@{api.slug}.example",
                                 "password": STRONG_PASSWORD})
    assert response.status_code == 302
    return api


def ticket_via_api(api, **over) -> int:
    payload = {"subject": "Question", "body": "Hello.",
               "requester": {"email": "bob@client.example", "name": "Bob"}} | over
    response = api.post("/tickets", payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def bodies(api, number: int) -> list[str]:
    return [m["body_html"] for m in api.get(f"/tickets/{number}").get_json()["messages"]]


def composer_fields(page: str) -> dict:
    """The hidden inputs of the reply box, as the browser would post them."""
    form = re.search(r'<form class="card composer.*?</form>', page, re.DOTALL).group(0)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def reply_box(page: str) -> tuple[str, str]:
    """(the editor's HTML, the textarea's HTML) of the reply box."""
    editor = re.search(r'<div class="editor"[^>]*>(.*?)</div>\s*<textarea', page, re.DOTALL)
    textarea = re.search(r'<textarea name="body" id="composer-body"[^>]*>(.*?)</textarea>',
                         page, re.DOTALL)
    return editor.group(1), textarea.group(1)


# --- the one function: plain text to HTML ---------------------------------------------

def test_typed_text_is_escaped_once_and_kept_whole():
    assert text_to_html(TYPED) == TYPED_HTML
    assert text_to_html("Price < 100 & more") == "<p>Price &lt; 100 &amp; more</p>"
    assert text_to_html("one\r\ntwo\n\n\nthree") == "<p>one<br>two</p><p>three</p>"
    safe, text = prepare_body(TYPED, body_format="text")
    assert safe == TYPED_HTML and text == TYPED  # search and excerpts get the text as typed


def test_typed_links_become_safe_links_and_nothing_else_does():
    safe = text_to_html('see (https://docs.example/a?x=1&y="2") or javascript:alert(1).')
    assert safe == ('<p>see (<a href="https://docs.example/a?x=1&amp;y=" '
                    'rel="noopener noreferrer nofollow">https://docs.example/a?x=1&amp;y=</a>'
                    '"2") or javascript:alert(1).</p>')
    assert "<a" not in text_to_html("ftp://files.example www.example.com")


def test_html_is_sanitized_only_when_declared():
    assert prepare_body("<b>firm</b>", body_format="html")[0] == "<b>firm</b>"
    assert prepare_body("<b>firm</b>", body_format="text")[0] == "<p>&lt;b&gt;firm&lt;/b&gt;</p>"
    assert prepare_body("<p>Price &lt; 100</p>", body_format="html")[0] == \
        "<p>Price &lt; 100</p>"
    with pytest.raises(ValueError):
        prepare_body("x", body_format="markdown")


# --- through the pages -----------------------------------------------------------------

def test_new_ticket_form_keeps_the_description_as_typed(client, admin):
    response = client.post("/app/tickets/new", data={
        "requester_email": "bob@client.example", "subject": "Keys", "body": TYPED})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    number = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert bodies(admin, number) == [TYPED_HTML]
    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    assert TYPED_HTML in page and "<b>d. Use" not in page


def test_new_ticket_form_gives_back_the_typed_text_after_an_error(client, admin):
    refused = client.post("/app/tickets/new", data={"requester_email": "bob@client.example",
                                                    "subject": "", "body": SCRIPT})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'<textarea name="body" rows="7">{escape(SCRIPT)}</textarea>' in page
    assert "<script>alert" not in page and "<svg" not in page


def test_reply_box_declares_html_and_is_not_escaped_twice(client, admin):
    number = ticket_via_api(admin)
    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    fields = composer_fields(page)
    assert fields["body_format"] == "html"  # the editor's markup, declared as such
    # What the editor's innerHTML holds after "Price < 100" is typed into it.
    sent = client.post(f"/app/tickets/{number}/messages",
                       data=fields | {"body": "Price &lt; 100"})
    assert sent.status_code == 302
    assert bodies(admin, number)[-1] == "Price &lt; 100"
    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    assert "Price &lt; 100" in page and "&amp;lt;" not in page


def test_reply_posted_without_a_format_is_typed_text(client, admin):
    number = ticket_via_api(admin)
    note = client.post(f"/app/tickets/{number}/messages",
                       data={"body": TYPED, "internal": "1"})
    assert note.status_code == 302
    assert bodies(admin, number)[-1] == TYPED_HTML


def test_refused_reply_is_given_back_escaped_not_injected(client, admin):
    number = ticket_via_api(admin)
    fields = composer_fields(client.get(f"/app/tickets/{number}").get_data(as_text=True))
    refused = client.post(f"/app/tickets/{number}/messages", data=fields | {"body": SCRIPT})
    assert refused.status_code == 422  # nothing left to send once the script is removed
    page = refused.get_data(as_text=True)
    editor, textarea = reply_box(page)
    assert textarea == escape(SCRIPT)  # the raw post, escaped once by Jinja
    assert "<script" not in editor and "onload" not in editor
    assert "<script>alert" not in page and "<svg" not in page
    assert len(bodies(admin, number)) == 1


def test_held_reply_is_given_back_escaped_not_injected(client, admin):
    number = ticket_via_api(admin)
    fields = composer_fields(client.get(f"/app/tickets/{number}").get_data(as_text=True))
    colleague, _member = add_staff(admin, client, role="admin", name="Colleague")
    assert colleague.post(f"/tickets/{number}/messages", {"body": "Answered"}).status_code == 201

    typed = f"Price < 100 {SCRIPT}"
    held = client.post(f"/app/tickets/{number}/messages",
                       data=fields | {"body": typed, "body_format": "text"})
    assert held.status_code == 409
    page = held.get_data(as_text=True)
    editor, textarea = reply_box(page)
    assert textarea == escape(typed)
    assert editor.startswith("<p>Price &lt; 100 &lt;script&gt;alert(")  # as typed, inert
    assert "<script>alert" not in page and "<svg" not in page
    assert composer_fields(page)["body_format"] == "html"  # the editor sends it next time

    markup = f"<p>Price &lt; 100 <b>now</b></p>{SCRIPT}"
    held = client.post(f"/app/tickets/{number}/messages", data=fields | {"body": markup})
    assert held.status_code == 409
    editor, textarea = reply_box(held.get_data(as_text=True))
    assert editor == "<p>Price &lt; 100 <b>now</b></p>"  # formatting kept, script gone
    assert textarea == escape(markup)


# --- through the API -------------------------------------------------------------------

def test_api_bodies_are_typed_text_unless_declared_html(admin):
    number = ticket_via_api(admin, body=TYPED)
    assert bodies(admin, number) == [TYPED_HTML]
    reply = admin.post(f"/tickets/{number}/messages", {"body": "Price < 100"})
    assert reply.status_code == 201
    assert reply.get_json()["message"]["body_html"] == "<p>Price &lt; 100</p>"
    rich = admin.post(f"/tickets/{number}/messages", {
        "body": f"<p>Price &lt; 100, <b>firm</b></p>{SCRIPT}", "body_format": "html"})
    assert rich.get_json()["message"]["body_html"] == "<p>Price &lt; 100, <b>firm</b></p>"
    bad = admin.post(f"/tickets/{number}/messages", {"body": "x", "body_format": "markdown"})
    assert bad.status_code == 422 and "body_format" in bad.get_json()["error"]["fields"]
    html_ticket = ticket_via_api(admin, body="<p>It <b>burns</b></p>", body_format="html")
    assert bodies(admin, html_ticket) == ["<p>It <b>burns</b></p>"]


def test_action_comments_are_kept_as_typed(admin):
    number = ticket_via_api(admin)
    second = admin.post("/departments", {"name": "Second line"}).get_json()["id"]
    moved = admin.post(f"/tickets/{number}/transfer", {"department_id": second,
                                                       "comment": TYPED})
    assert moved.status_code == 200
    note = moved.get_json()["messages"][-1]
    assert note["internal"] and "a&lt;b and c&gt;d. Use &lt;tab&gt; key." in note["body_html"]


def test_openapi_documents_the_body_format(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for name in ("TicketIn", "MessageIn"):
        field = schemas[name]["properties"]["body_format"]
        assert field["enum"] == ["text", "html"] and field["default"] == "text"
        assert "escaped" in field["description"] and "sanitized" in field["description"]
